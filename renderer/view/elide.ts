/**
 * Shorten text for a narrow space by cutting its middle, so both the start and the end stay
 * readable ("Take 1 - Quic…(modified) (2).wav": which take, and which copy of the file).
 */
export function elideMiddle(text: string, maxChars: number): string {
  const chars = [...text];
  if (chars.length <= maxChars) return text;
  const keep = Math.max(2, maxChars - 1);
  // A little more of the end: file names differ there (copy numbers, extensions).
  const head = Math.floor(keep * 0.4);
  return `${chars.slice(0, head).join('')}…${chars.slice(chars.length - (keep - head)).join('')}`;
}
