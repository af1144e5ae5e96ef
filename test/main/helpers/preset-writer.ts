/** Saves presets in a loop until killed: the "writer killed mid-save" test's victim. */
import { PresetStore } from '../../../main/preset-store';
import { confBackingStore } from '../../../main/conf-store';
import { BUILTIN_PRESETS } from '../../../common/preset';

const store = new PresetStore({ dir: process.argv[2], open: confBackingStore() });
process.send?.('ready');
for (let i = 0; ; i++) {
  // Big enough that a write takes a while, so kills land inside writes.
  const name = `User ${i % 50}`;
  store.save({ ...BUILTIN_PRESETS[1], name, source: 'x'.repeat(300) }, true);
  if (i % 7 === 0) store.delete(name);
}
