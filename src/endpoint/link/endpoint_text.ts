/**
 * "ip:port" text for an address and port, with IPv6 in brackets (as endpointString prints).
 *
 * @example formatEndpoint('::1', 9000) // '[::1]:9000'
 */
export function formatEndpoint(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
