// ONNX Runtime side of bench_engine_throughput: windows/s for the same model, inputs, batch
// sizes and thread counts. Prints one JSON line per cell.
// usage: node ort_throughput.js MODEL.onnx WINDOWS.npy BATCHES(1,256) THREADS(1,2) SECONDS
'use strict';
const path = require('path');
const { readNpy } = require(path.join(__dirname, '..', '..', 'tests', 'peers', 'ort_npy.js'));

const peers = process.env.IMUWB_PEERS_DIR || path.join(__dirname, '..', '..', '.cache', 'peers');
const ort = require(path.join(peers, 'node_modules', 'onnxruntime-node'));

async function main() {
  const [modelPath, windowsPath, batchList, threadList, secondsText] = process.argv.slice(2);
  const windows = readNpy(windowsPath);
  const perWindow = windows.data.length / windows.dims[0];
  const seconds = Number(secondsText || '1');
  for (const threads of threadList.split(',').map(Number)) {
    const session = await ort.InferenceSession.create(modelPath, {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
    });
    const inputName = session.inputNames[0];
    for (const batch of batchList.split(',').map(Number)) {
      const data = windows.data.slice(0, batch * perWindow);
      const feeds = { [inputName]: new ort.Tensor('float32', data, [batch, ...windows.dims.slice(1)]) };
      for (let i = 0; i < 3; ++i) await session.run(feeds);  // warm up
      let runs = 0;
      const cpuStart = process.cpuUsage();
      const start = process.hrtime.bigint();
      let elapsed = 0;
      while (elapsed < seconds || runs < 3) {
        await session.run(feeds);
        runs += 1;
        elapsed = Number(process.hrtime.bigint() - start) / 1e9;
      }
      const cpu = process.cpuUsage(cpuStart);
      const cpuSeconds = (cpu.user + cpu.system) / 1e6;
      console.log(JSON.stringify({
        threads,
        batch,
        windows_per_second: (runs * batch) / elapsed,
        windows_per_cpu_second: (runs * batch) / cpuSeconds,
      }));
    }
  }
}

main().catch((error) => {
  console.error(error.message || String(error));
  process.exit(1);
});
