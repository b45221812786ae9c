/** Every HTTP route of protocol version 1 lives under this prefix. */
export const API_PREFIX = '/api/v1';
export const PROTOCOL_VERSION = 1;
