/** The keyboard shortcuts, declared once: the sheet (?) lists them and tests hold the handlers to them. */
export const SHORTCUTS: readonly [keys: string, what: string][] = [
  ['Space', 'Play / pause'],
  ['Esc', 'Stop'],
  ['1 – 9', 'Listen to content, style, take 1, 2… (A/B, same position)'],
  ['L', 'Loop the region'],
  ['Home', 'Back to the start'],
  ['Ctrl+Enter', 'Render'],
  ['Ctrl+Z', 'Undo (sliders, preset fields, takes, region)'],
  ['Ctrl+Shift+Z / Ctrl+Y', 'Redo'],
  ['Ctrl+S', 'Save the session to a file'],
  ['Ctrl+wheel', 'Zoom the lanes around the pointer'],
  ['Shift+wheel', 'Scroll the lanes'],
  ['Click / drag the ruler or a lane', 'Move the playhead'],
  ['Drag a lane’s lower edge', 'Make the lane taller or shorter'],
  ['?', 'This sheet'],
];
