// Runs an ONNX model with ONNX Runtime (the independent peer) on .npy inputs.
// usage: node ort_run.js MODEL.onnx OUTDIR [--threads N] NAME=FILE.npy...
//        node ort_run.js --jobs JOBS.json   (many models in one process; JOBS.json is
//        [{"model": "...", "out": "...", "threads": 1, "inputs": {"NAME": "FILE.npy"}}])
// Writes OUTDIR/out_<i>.npy per model output and OUTDIR/outputs.json {"names": [...]}.
// onnxruntime-node is resolved from IMUWB_PEERS_DIR/node_modules (scripts/setup-peers.sh).
'use strict';
const path = require('path');
const fs = require('fs');
const { readNpy, writeNpy } = require('./ort_npy.js');

const peers = process.env.IMUWB_PEERS_DIR || path.join(__dirname, '..', '..', '.cache', 'peers');
const ort = require(path.join(peers, 'node_modules', 'onnxruntime-node'));

async function runWindowByWindow(session, feeds) {
  const names = Object.keys(feeds);
  const windows = feeds[names[0]].dims[0];
  const parts = session.outputNames.map(() => []);
  for (let w = 0; w < windows; ++w) {
    const one = {};
    for (const name of names) {
      const t = feeds[name];
      const per = t.data.length / windows;
      one[name] = new ort.Tensor(t.type, t.data.slice(w * per, (w + 1) * per), [1, ...t.dims.slice(1)]);
    }
    const results = await session.run(one);
    session.outputNames.forEach((name, i) => parts[i].push(results[name]));
  }
  return parts.map((list) => {
    const first = list[0];
    const per = first.data.length;
    const data = new first.data.constructor(per * windows);
    list.forEach((t, w) => data.set(t.data, w * per));
    return { type: first.type, dims: [windows, ...first.dims.slice(1)], data };
  });
}

async function runJob(modelPath, outDir, threads, inputFiles) {
  const feeds = {};
  for (const [name, file] of Object.entries(inputFiles)) {
    const arr = readNpy(file);
    feeds[name] = new ort.Tensor(arr.type, arr.data, arr.dims);
  }
  const session = await ort.InferenceSession.create(modelPath, {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  });
  let outputs;
  try {
    const results = await session.run(feeds);
    outputs = session.outputNames.map((name) => results[name]);
  } catch (error) {
    // A model exported with a fixed batch of 1 takes one window per call: run them one by one
    // and stack the results along the leading dimension.
    if (!/invalid dimensions/.test(String(error.message))) throw error;
    outputs = await runWindowByWindow(session, feeds);
  }
  fs.mkdirSync(outDir, { recursive: true });
  outputs.forEach((t, i) => writeNpy(path.join(outDir, `out_${i}.npy`), t.type, t.dims, t.data));
  fs.writeFileSync(path.join(outDir, 'outputs.json'), JSON.stringify({ names: session.outputNames }));
}

async function main() {
  const args = process.argv.slice(2);
  if (args[0] === '--jobs') {
    const jobs = JSON.parse(fs.readFileSync(args[1], 'utf8'));
    let failed = 0;
    for (const job of jobs) {
      try {
        await runJob(job.model, job.out, job.threads || 1, job.inputs);
      } catch (error) {
        // Record the failure next to the job so the test can report it per case.
        fs.mkdirSync(job.out, { recursive: true });
        fs.writeFileSync(path.join(job.out, 'error.txt'), String(error.message || error));
        failed += 1;
      }
    }
    if (failed) console.error(`${failed} job(s) failed`);
    return;
  }
  const [modelPath, outDir] = args;
  let threads = 1;
  const inputs = {};
  for (let i = 2; i < args.length; ++i) {
    if (args[i] === '--threads') {
      threads = Number(args[++i]);
      continue;
    }
    const eq = args[i].indexOf('=');
    inputs[args[i].slice(0, eq)] = args[i].slice(eq + 1);
  }
  await runJob(modelPath, outDir, threads, inputs);
}

main().catch((error) => {
  console.error(error.message || String(error));
  process.exit(1);
});
