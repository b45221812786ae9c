import { describe, expect, it } from 'vitest';
import { parseConnectLink } from './connect-link';

describe('reading an enrolment link from a QR code', () => {
  it.each([
    ['http://192.168.1.10:8080/#/ket-noi?code=K7M2Q-9XRTA', 'http://192.168.1.10:8080', 'K7M2Q-9XRTA'],
    ['  https://khuyenhoc.dian.gov.vn/#/ket-noi?code=ABCDE-23456\n', 'https://khuyenhoc.dian.gov.vn', 'ABCDE-23456'],
    [
      'https://xa.example.vn/so-khuyen-hoc/#/ket-noi?code=abcde-23456',
      'https://xa.example.vn/so-khuyen-hoc',
      'abcde-23456',
    ],
    ['http://[fd00::12]:8080/#/ket-noi?code=K7M2Q%2D9XRTA', 'http://[fd00::12]:8080', 'K7M2Q-9XRTA'],
  ])('finds the server and the code in %s', (text, serverUrl, code) => {
    expect(parseConnectLink(text)).toEqual({ serverUrl, code });
  });

  it.each([
    ['a bare code', 'K7M2Q-9XRTA'],
    ['a web page', 'https://zalo.me/g/abcdef'],
    ['Wi-Fi settings', 'WIFI:T:WPA;S:UBND-Xa;P:matkhau;;'],
    ['another route of the app', 'http://192.168.1.10:8080/#/cai-dat'],
    ['the connect route without a code', 'http://192.168.1.10:8080/#/ket-noi'],
    ['a code with a broken escape', 'http://192.168.1.10:8080/#/ket-noi?code=AB%E0'],
    ['a code with a space in it', 'http://192.168.1.10:8080/#/ket-noi?code=AB%20CD'],
    ['a link with a password in it', 'http://admin:secret@192.168.1.10:8080/#/ket-noi?code=K7M2Q-9XRTA'],
    ['a link with a query before the hash', 'http://192.168.1.10:8080/?next=evil#/ket-noi?code=K7M2Q-9XRTA'],
    ['another scheme', 'javascript:alert(1)//#/ket-noi?code=K7M2Q-9XRTA'],
  ])('refuses %s', (_what, text) => {
    expect(parseConnectLink(text)).toBeUndefined();
  });
});
