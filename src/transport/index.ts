// The transport registry: scenario names to ops tables.

import type { TransportName } from "../model.ts";
import { multifdTransport } from "./multifd.ts";
import { plainTransport } from "./plain.ts";
import { rpcTransport } from "./rpc.ts";
import { tlsTransport } from "./tls.ts";
import type { TransportFactory } from "./transport.ts";
import { tunnelledTransport } from "./tunnelled.ts";

export const TRANSPORTS: Record<TransportName, TransportFactory> = {
  plain: plainTransport,
  tls: tlsTransport,
  tunnelled: tunnelledTransport,
  rpc: rpcTransport,
  multifd: multifdTransport,
};
