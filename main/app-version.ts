/** The application's version, from package.json (bundled at build time). */
import pkg from '../package.json' with { type: 'json' };

/** Semantic version of this build, e.g. "0.1.0". */
export const APP_VERSION: string = (pkg as { version: string }).version;
