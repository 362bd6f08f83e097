// A customer's automation at the wire, for tests: a local HTTP server that verifies each
// delivery's signature the way a Logic App or runbook would, and answers as the test says.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhookSignature } from '../webhooks';

export interface Delivery {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly json: Record<string, unknown>;
  readonly idempotencyKey: string;
  readonly verified: boolean;
}

/** Answers one delivery; `n` counts deliveries from 1. Leave `res` open to hang. */
export type Respond = (delivery: Delivery, res: ServerResponse, n: number) => void;

export interface WebhookReceiver {
  /** With a query like a Logic App trigger's SAS signature, which must never be recorded either. */
  readonly url: string;
  readonly deliveries: Delivery[];
  respond: Respond;
  close(): Promise<void>;
}

export const answer = (status: number, body = '', headers: Record<string, string> = {}): Respond => (_, res) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(body);
};

export const startWebhookReceiver = async (secret: string, respond: Respond = answer(200, '{"accepted":true}')): Promise<WebhookReceiver> => {
  const deliveries: Delivery[] = [];
  const receiver = {
    url: '',
    deliveries,
    respond,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const header = (name: string) => String(req.headers[name] ?? '');
      const delivery: Delivery = {
        headers: req.headers,
        body,
        json: JSON.parse(body) as Record<string, unknown>,
        idempotencyKey: header('x-rampart-idempotency-key'),
        verified: verifyWebhookSignature(secret, header('x-rampart-timestamp'), body, header('x-rampart-signature'), 300),
      };
      deliveries.push(delivery);
      receiver.respond(delivery, res, deliveries.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/workflows/rampart/invoke?api-version=2016-10-01&sig=sas-signature-value`;
  return receiver;
};
