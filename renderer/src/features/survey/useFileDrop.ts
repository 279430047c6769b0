/**
 * Window-wide drag-and-drop of files, with an "is dragging" flag for the overlay. A screen that
 * got a file meant for another one (an OIFITS dropped on the Survey) hands it over with
 * `handFilesToNextScreen` before navigating: the next screen that takes drops receives it as if
 * it had been dropped there.
 */
import { useEffect, useState } from 'react';

let handedFiles: File[] = [];

/** Give `files` to the next screen that mounts a file drop (call it, then navigate there). */
export function handFilesToNextScreen(files: File[]): void {
  handedFiles = files;
}

export function useFileDrop(onFiles: (files: File[]) => void, isEnabled = true): boolean {
  const [isDragging, setDragging] = useState(false);
  useEffect(() => {
    if (!isEnabled) return;
    if (handedFiles.length) {
      const files = handedFiles;
      handedFiles = [];
      onFiles(files);
    }
    let depth = 0;
    const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files');
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth++;
      setDragging(true);
    };
    const leave = () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const over = (e: DragEvent) => hasFiles(e) && e.preventDefault();
    const drop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      setDragging(false);
      onFiles(Array.from(e.dataTransfer?.files ?? []));
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragleave', leave);
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  }, [onFiles, isEnabled]);
  return isDragging;
}
