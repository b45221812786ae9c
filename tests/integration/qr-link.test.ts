import { describe, expect, it } from 'vitest';
import { parseConnectLink } from '../../src/client/features/settings/connect-link';
import { generateEnrollmentCode } from '../../src/server/auth/tokens';
import { connectUrl, serverAddressFor } from '../../src/server/cli/connect-url';

describe('the enrolment QR code', () => {
  it.each([['127.0.0.1'], ['0.0.0.0'], ['::1'], ['192.168.1.10']])(
    'made by the admin CLI for a server on %s is read back by the app with the same server and code',
    (host) => {
      const server = serverAddressFor(host, 8080).url;
      const code = generateEnrollmentCode();
      expect(parseConnectLink(connectUrl(server, code))).toEqual({ serverUrl: server, code });
    },
  );
});
