// The transport registry: scenario names to ops tables.

import type { TransportName } from "../model.ts";
import { plainTransport } from "./plain.ts";
import type { TransportFactory } from "./transport.ts";

export const TRANSPORTS: Record<TransportName, TransportFactory> = {
  plain: plainTransport,
};
