import { cidrsOverlap, parseIpv4Cidr } from '@internal/plugin-aws-environments-common';

function rotated(from: number, to: number, after: number): number[] {
  const all = Array.from({ length: to - from + 1 }, (_, i) => from + i);
  const start = all.findIndex(n => n > after);
  return start <= 0 ? all : [...all.slice(start), ...all.slice(0, start)];
}

/**
 * A private /16 that overlaps none of `taken`: the next free one after `wanted` in its own private block
 * (10.41.0.0/16 after 10.40.0.0/16), else the first free one in 10.0.0.0/8 or 172.16.0.0/12.
 */
export function suggestFreeRange(wanted: string, taken: string[]): string | undefined {
  const parsed = parseIpv4Cidr(wanted);
  const [first, second] = parsed ? parsed.address.octets : [10, 0];
  const candidates: string[] = [];
  if (first === 172 && second >= 16 && second <= 31) {
    candidates.push(...rotated(16, 31, second).map(n => `172.${n}.0.0/16`));
  } else if (first === 10) {
    candidates.push(...rotated(0, 255, second).map(n => `10.${n}.0.0/16`));
  }
  candidates.push(
    ...rotated(0, 255, -1).map(n => `10.${n}.0.0/16`),
    ...rotated(16, 31, -1).map(n => `172.${n}.0.0/16`),
    '192.168.0.0/16',
  );
  return candidates.find(
    candidate => !cidrsOverlap(candidate, wanted) && !taken.some(range => cidrsOverlap(candidate, range)),
  );
}
