/** The page's own file picker (hidden; a button clicks it when the shell has no open dialog). */
import type { Ref } from 'react';
import { acceptList, type FileType } from '../../common/file-types';

export function FilePicker({ inputRef, type, label, onFile }: { inputRef: Ref<HTMLInputElement>; type: FileType; label: string; onFile: (f: File) => void }) {
  return (
    <input
      ref={inputRef}
      type="file"
      accept={acceptList(type)}
      className="visually-hidden"
      tabIndex={-1}
      aria-label={label}
      onChange={(e) => {
        const f = e.target.files?.[0];
        // Cleared so the same file can be chosen again.
        e.target.value = '';
        if (f) onFile(f);
      }}
    />
  );
}
