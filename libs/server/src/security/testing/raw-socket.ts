// A bare graphql-transport-ws client over a real socket, for tests that must see what a library
// client hides: close codes and reasons, every message in order, and frames of any size.
import WebSocket from 'ws';

export interface ServerMessage {
  readonly type: string;
  readonly id?: string;
  readonly payload?: unknown;
}

export interface Closed {
  readonly code: number;
  readonly reason: string;
}

export class RawSocket {
  readonly messages: ServerMessage[] = [];
  closed?: Closed;
  private waiters: (() => void)[] = [];

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.messages.push(JSON.parse(String(data)) as ServerMessage);
      this.wake();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: String(reason) };
      this.wake();
    });
  }

  static async open(httpUrl: string): Promise<RawSocket> {
    const ws = new WebSocket(`${httpUrl.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
    const socket = new RawSocket(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return socket;
  }

  /** Opens a socket and sends connection_init; resolves once acknowledged or closed. */
  static async connect(httpUrl: string, connectionParams: Record<string, unknown>): Promise<RawSocket> {
    const socket = await RawSocket.open(httpUrl);
    socket.send({ type: 'connection_init', payload: connectionParams });
    await socket.until((s) => s.closed !== undefined || s.messages.some((m) => m.type === 'connection_ack'));
    return socket;
  }

  get acknowledged(): boolean {
    return this.messages.some((m) => m.type === 'connection_ack');
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  subscribe(id: string, query: string, variables?: Record<string, unknown>): void {
    this.send({ type: 'subscribe', id, payload: { query, variables } });
  }

  /** The first next/error answer to operation `id` (or the close that ended the socket). */
  async result(id: string, timeoutMs = 10_000): Promise<ServerMessage | Closed> {
    const answered = () => this.messages.find((m) => m.id === id && (m.type === 'next' || m.type === 'error'));
    await this.until((s) => s.closed !== undefined || answered() !== undefined, timeoutMs);
    return answered() ?? (this.closed as Closed);
  }

  /** Every next message of operation `id` so far. */
  nexts(id: string): ServerMessage[] {
    return this.messages.filter((m) => m.id === id && m.type === 'next');
  }

  async until(done: (socket: this) => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done(this)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`socket: condition not reached within ${timeoutMs} ms; closed=${JSON.stringify(this.closed)}; messages=${JSON.stringify(this.messages).slice(0, 500)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 250));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close();
  }

  private wake() {
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((w) => w());
  }
}
