/** The IP addresses emulated machines are given. */

/** Public documentation ranges (RFC 5737), so emulated IPs can never reach a real host. */
export const IP_BLOCKS = ["203.0.113", "198.51.100", "192.0.2"];

/** IP for the n-th machine (1-based): .10 to .249 of each block in turn. */
export function ipFor(n: number): string {
  const index = n - 1;
  return `${IP_BLOCKS[Math.floor(index / 240) % IP_BLOCKS.length]}.${10 + (index % 240)}`;
}
