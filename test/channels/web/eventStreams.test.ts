import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { RunEvent, RunEventBody } from '../../../src/events/runEvent.js';
import { EventStreams } from '../../../src/channels/web/eventStreams.js';
import { StoredRunEvents } from '../slack/support/testParts.js';

/** Issue 12, finding 2 for the playground: an event delivered out of order is shown, in order, once. */
describe('web event streams render from the stored log', () => {
  let server: Server;
  let streams: EventStreams;
  const log = new StoredRunEvents();

  beforeAll(async () => {
    streams = new EventStreams(60_000, (tenantId, runId, afterSeq) => log.eventsSince(tenantId, runId, afterSeq));
    server = createServer((_req, res) => streams.open(res, 'user-ada', 'thread-1').replay([]));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    streams.close();
    await new Promise((resolve) => server.close(resolve));
  });

  test('seq 3 before seq 2: the tab receives 1, 2, 3 exactly once each', async () => {
    const runId = randomUUID();
    let seq = 0;
    const next = (body: RunEventBody): RunEvent => ({ runId, tenantId: 'acme', conversationId: 'c', userId: 'user-ada', reply: { channel: 'web', address: {} }, seq: ++seq, at: new Date().toISOString(), ...body }) as RunEvent;
    const events = [next({ type: 'run.started', text: 'hi' }), next({ type: 'step.started', stepId: 's1', title: 'One' }), next({ type: 'step.finished', stepId: 's1', title: 'One', summary: 'ok' })];
    for (const event of events) log.store(event);

    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const reader = response.body!.getReader();
    const received: number[] = [];
    let buffer = '';
    const target = () => ({ userId: 'user-ada', threadId: 'thread-1' });
    const readUntil = async (count: number): Promise<void> => {
      while (received.length < count) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += new TextDecoder().decode(value);
        for (;;) {
          const end = buffer.indexOf('\n\n');
          if (end < 0) break;
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (frame.startsWith('event: ready')) {
            for (const event of [events[0]!, events[2]!, events[1]!, events[2]!]) streams.dispatch(event, target);
          }
          if (frame.startsWith('event: run')) received.push((JSON.parse(frame.split('\ndata: ')[1]!) as RunEvent).seq);
        }
      }
    };
    await readUntil(3);
    await new Promise((resolve) => setTimeout(resolve, 50));
    streams.dispatch(events[1]!, target);
    expect(received).toEqual([1, 2, 3]);
    await reader.cancel();
  });
});
