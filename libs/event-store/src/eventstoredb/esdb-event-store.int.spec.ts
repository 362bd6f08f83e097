import { createServer, type Server, type Socket } from 'node:net';
import { eventStoreContract, type ContractStoreFactory } from '../contract/event-store.contract';
import { EventStoreDbEventStore } from './esdb-event-store';

const connectionString = process.env['EVENTSTORE_CONNECTION_STRING'];

const describeIfEventStore = process.env['EVENTSTORE_CONNECTION_STRING'] ? describe : describe.skip; // skipped without a server: see README

describeIfEventStore('EventStoreDB adapter', () => {
  const factory: ContractStoreFactory = {
    open: (options = {}) => EventStoreDbEventStore.open(connectionString ?? '', options),
    detectsEventIdReuseAcrossStreams: false,
  };
  eventStoreContract('EventStoreDB', factory);
});

// These need no server: they check that `open` fails fast and clearly when there is none.
describe('EventStoreDbEventStore.open without a server', () => {
  it('rejects quickly with a clear error when the connection is refused', async () => {
    const started = Date.now();
    // port 1 refuses connections
    const opening = EventStoreDbEventStore.open('esdb://127.0.0.1:1?tls=false', { connectTimeoutMs: 2_000 });
    await expect(opening).rejects.toThrow(/cannot connect to EventStoreDB at esdb:\/\/127\.0\.0\.1:1\?tls=false: .*UNAVAILABLE/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  describe('against a TCP peer that accepts but never answers', () => {
    let server: Server;
    const sockets = new Set<Socket>();
    let port = 0;
    beforeAll(async () => {
      server = createServer((socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as { port: number }).port;
    });
    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it('gives up after connectTimeoutMs, naming the server without its credentials', async () => {
      const started = Date.now();
      const opening = EventStoreDbEventStore.open(`esdb://admin:changeit@127.0.0.1:${port}?tls=false`, { connectTimeoutMs: 500 });
      const error: Error = await opening.then(
        () => {
          throw new Error('open should have failed');
        },
        (e: Error) => e,
      );
      expect(error.message).toBe(
        `cannot connect to EventStoreDB at esdb://127.0.0.1:${port}?tls=false: ` +
          'no gRPC answer within 500 ms (is this an EventStoreDB endpoint, with the right tls= setting?)',
      );
      expect(error.message).not.toContain('changeit');
      expect(Date.now() - started).toBeLessThan(3_000);
    });
  });
});
