import type { ConnectionOptions } from 'node:tls';
import { buildConnector } from 'undici';
import {
  decideBeforeConnect,
  decideResolvedAddress,
  normalizeHostname,
  originOf,
  refusedCall,
} from './outboundDecision.js';
import type { OutboundTarget, Refusal } from './outboundDecision.js';
import { createGuardedLookup } from './guardedLookup.js';
import type { HostResolver } from './guardedLookup.js';
import type { AllowList } from './outboundPolicy.js';

/** TLS settings a caller may add (a private CA, client certificates); never where to connect. */
export type GuardedTlsOptions = Omit<
  ConnectionOptions,
  'lookup' | 'host' | 'port' | 'path' | 'socket' | 'servername'
>;

export interface GuardedConnectorOptions {
  readonly resolve: HostResolver;
  readonly connectTimeoutMs: number;
  readonly allowH2?: boolean;
  readonly tls?: GuardedTlsOptions;
}

/**
 * An undici connector for one origin that can only open sockets to permitted addresses, checked
 * three times: IP literals and names before dialling (a literal skips `lookup`, so it is checked
 * here), every resolved address inside `lookup` (so a private address is never dialled), and the
 * socket's actual peer once connected.
 */
export function createGuardedConnector(
  origin: OutboundTarget,
  allowList: AllowList,
  options: GuardedConnectorOptions,
): buildConnector.connector {
  const dial = buildConnector({
    ...options.tls,
    timeout: options.connectTimeoutMs,
    allowH2: options.allowH2 ?? false,
    lookup: createGuardedLookup(origin, allowList, options.resolve),
  });
  return guardConnector(dial, origin, allowList);
}

/**
 * Wraps any connector with the checks that do not depend on its lookup: the target before
 * dialling, and the socket's peer after. The peer check holds even if a dial resolved the name
 * some other way; a separate export so that this can be shown.
 */
export function guardConnector(
  dial: buildConnector.connector,
  origin: OutboundTarget,
  allowList: AllowList,
): buildConnector.connector {
  return function guardedConnect(connection, callback) {
    const target = targetOfConnection(connection);
    const refusal =
      originOf(target) === originOf(origin)
        ? refusalBeforeDial(target, allowList)
        : { reason: 'the connection does not match its origin', overridable: false };
    if (refusal) {
      // undici expects the callback after it returns, as a real connect would.
      process.nextTick(() => callback(refusedCall(target, refusal), null));
      return;
    }
    dial(connection, (error, socket) => {
      if (error !== null) return callback(error, null);
      const peer = socket.remoteAddress;
      const late =
        peer === undefined
          ? { reason: 'the connected address is unknown', overridable: false }
          : decideResolvedAddress(target, peer, allowList);
      if (late) {
        socket.destroy();
        return callback(refusedCall(target, late), null);
      }
      callback(null, socket);
    });
  };
}

function refusalBeforeDial(target: OutboundTarget, allowList: AllowList): Refusal | undefined {
  const decision = decideBeforeConnect(target, allowList);
  return decision.decision === 'refused' ? decision.refusal : undefined;
}

function targetOfConnection(connection: buildConnector.Options): OutboundTarget {
  const port =
    connection.port === '' || connection.port === undefined
      ? connection.protocol === 'https:'
        ? 443
        : 80
      : Number(connection.port);
  return {
    protocol: connection.protocol,
    hostname: normalizeHostname(connection.hostname),
    port,
  };
}
