import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { createTracing, tracesRequested } from '../../src/observability/tracing.js';

// Tracing is configured by the standard OTEL_* variables only; unset, nothing is recorded or exported.
test('the OTEL_* variables decide whether traces are exported', () => {
  expect(tracesRequested({})).toBe(false);
  expect(tracesRequested({ OTEL_SERVICE_NAME: 'switchboard' })).toBe(false);
  expect(tracesRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
  expect(tracesRequested({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' })).toBe(true);
  expect(tracesRequested({ OTEL_TRACES_EXPORTER: 'otlp' })).toBe(true);
  expect(tracesRequested({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(false);
  expect(tracesRequested({ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(false);
});

test('without OTEL_* variables spans are not recorded and no trace is carried', async () => {
  const tracing = createTracing({ env: {} });
  expect(tracing.enabled).toBe(false);
  const inside = await tracing.inSpan('x', {}, async (span) => ({ recording: span.isRecording(), carrier: tracing.carrier() }));
  expect(inside.recording).toBe(false);
  await tracing.shutdown();
});

test('a carried traceparent continues its trace; a malformed one is ignored', async () => {
  const exporter = new InMemorySpanExporter();
  const tracing = createTracing({ env: { OTEL_SERVICE_NAME: 'sb-test' }, exporter });
  const carried = await tracing.inSpan('first', {}, async () => tracing.carrier());
  expect(carried).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  const parent = tracing.continueFrom(carried);
  await tracing.inSpan('second', {}, async () => undefined, { ...(parent ? { parent } : {}) });
  const [first, second] = exporter.getFinishedSpans();
  expect(second!.spanContext().traceId).toBe(first!.spanContext().traceId);
  expect(second!.parentSpanContext?.spanId).toBe(first!.spanContext().spanId);
  expect(first!.resource.attributes['service.name']).toBe('sb-test');
  expect(tracing.continueFrom('not-a-traceparent')).toBeUndefined();
  expect(tracing.linkTo(undefined)).toBeUndefined();
  await tracing.shutdown();
});

test('with OTEL_EXPORTER_OTLP_ENDPOINT the spans are posted to its /v1/traces', async () => {
  const received: { path: string; bytes: number }[] = [];
  const server = createServer((req, res) => {
    let bytes = 0;
    req.on('data', (chunk: Buffer) => (bytes += chunk.length));
    req.on('end', () => {
      received.push({ path: req.url ?? '', bytes });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const tracing = createTracing({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}/`, OTEL_SERVICE_NAME: 'sb-otlp' } });
    expect(tracing.enabled).toBe(true);
    await tracing.inSpan('exported', { 'switchboard.run_id': 'r1' }, async () => undefined);
    await tracing.shutdown();
    expect(received.length).toBeGreaterThan(0);
    expect(received[0]).toMatchObject({ path: '/v1/traces' });
    expect(received[0]!.bytes).toBeGreaterThan(0);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
