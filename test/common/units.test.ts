/** Sizes beside a limit: enough digits that a size over the limit never reads as the limit. */
import { describe, expect, it } from 'vitest';
import { formatBytes, formatBytesOver } from '../../common/units';

const GiB = 2 ** 30;

describe('byte sizes beside a limit', () => {
  it('prints enough digits to differ from the limit', () => {
    expect(`${formatBytesOver(1.09 * GiB, GiB)} is over the ${formatBytes(GiB)} limit`).toBe('1.09 GB is over the 1.0 GB limit');
    expect(formatBytesOver(1.004 * GiB, GiB)).toBe('1.004 GB');
    expect(formatBytesOver(5 * GiB, GiB)).toBe('5.00 GB');
    expect(formatBytesOver(GiB + 1, GiB)).toBe('1073741825 bytes');
    expect(formatBytesOver(101, 100)).toBe('101 bytes');
  });
});
