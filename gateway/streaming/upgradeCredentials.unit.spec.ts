import { describe, expect, it } from 'vitest';
import { upgradeCredentialHeaders } from './upgradeCredentials.js';

const url = (query = '') => new URL(`http://host/v1/conversations/c/ws${query}`);

describe('credentials of a WebSocket upgrade', () => {
  it('takes the token a browser sends as the subprotocol pair "bearer, <token>"', () => {
    const headers = upgradeCredentialHeaders({ 'sec-websocket-protocol': 'bearer, t0k.en' }, url());
    expect(headers.authorization).toBe('Bearer t0k.en');
  });

  it('takes ?access_token= when there is no header', () => {
    expect(upgradeCredentialHeaders({}, url('?access_token=abc')).authorization).toBe('Bearer abc');
  });

  it('prefers a real Authorization header', () => {
    const headers = upgradeCredentialHeaders(
      { authorization: 'Bearer real', 'sec-websocket-protocol': 'bearer, other' },
      url('?access_token=third'),
    );
    expect(headers.authorization).toBe('Bearer real');
  });

  it('ignores other subprotocols and leaves an anonymous upgrade anonymous', () => {
    expect(
      upgradeCredentialHeaders({ 'sec-websocket-protocol': 'chat, x' }, url()).authorization,
    ).toBe(undefined);
    expect(
      upgradeCredentialHeaders({ 'sec-websocket-protocol': 'bearer' }, url()).authorization,
    ).toBe(undefined);
  });
});
