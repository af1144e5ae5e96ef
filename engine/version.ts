/** The engine's version, reported by `info` and embedded in every exported stem. */
export const ENGINE_VERSION = '0.1.0';
