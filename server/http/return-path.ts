/** Only same-site paths may be returned to (after login, a switch of variant or language), never another host. */
export function safeReturnPath(value: unknown, fallback: string): string {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) ? value : fallback;
}
