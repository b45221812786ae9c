/**
 * A worker thread running a share of the burst's devices, each an async loop (device-loop.ts).
 * It serialises and gzips every push batch first, says 'ready', waits for 'go', then runs all its
 * devices at once and answers with their reports. Started by device-pool.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { gzipSync } from 'node:zlib';
import { openDeviceLink } from './device-http';
import { runDevice, type PreparedBatch } from './device-loop';
import type { SimulatedDevice, WorkerInput, WorkerMessage } from './device-types';

function prepare(device: SimulatedDevice, batchSize: number): PreparedBatch[] {
  const batches: PreparedBatch[] = [];
  for (let start = 0; start < device.ops.length; start += batchSize) {
    const ops = device.ops.slice(start, start + batchSize);
    const json = JSON.stringify({ protocol: 1, deviceId: device.deviceId, ops });
    batches.push({ body: gzipSync(json), lastSeq: ops[ops.length - 1]?.seq ?? 0, ops: ops.length });
  }
  return batches;
}

async function main(port: NonNullable<typeof parentPort>) {
  // workerData is the WorkerInput device-pool.ts passed (structured clone of that exact type).
  const input = workerData as WorkerInput;
  const prepared = input.devices.map((device) => ({ device, batches: prepare(device, input.policy.batchSize) }));
  const go = new Promise<void>((resolve) => port.once('message', () => resolve()));
  port.postMessage({ type: 'ready' } satisfies WorkerMessage);
  await go;
  const reports = await Promise.all(
    prepared.map(async ({ device, batches }) => {
      const link = openDeviceLink(input.baseUrl, device.token);
      try {
        return await runDevice(link, device, batches, input.policy, input.deadlineEpochMs);
      } finally {
        link.close();
      }
    }),
  );
  port.postMessage({ type: 'done', reports } satisfies WorkerMessage);
}

if (parentPort) {
  const port = parentPort;
  main(port).catch((error: unknown) => {
    port.postMessage({ type: 'failed', message: error instanceof Error ? error.stack ?? error.message : String(error) } satisfies WorkerMessage);
  });
}
