// Minimal .npy read/write for the ONNX Runtime peer scripts (float32, float64, int64, int32).
'use strict';
const fs = require('fs');

const DESCR = {
  '<f4': { type: 'float32', Array: Float32Array },
  '<f8': { type: 'float64', Array: Float64Array },
  '<i8': { type: 'int64', Array: BigInt64Array },
  '<i4': { type: 'int32', Array: Int32Array },
};

function readNpy(path) {
  const buf = fs.readFileSync(path);
  if (buf.readUInt8(0) !== 0x93 || buf.toString('latin1', 1, 6) !== 'NUMPY') {
    throw new Error(`${path}: not a .npy file`);
  }
  const major = buf.readUInt8(6);
  const headerLen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = buf.toString('latin1', start, start + headerLen);
  const descr = /'descr':\s*'([^']+)'/.exec(header)[1];
  if (/'fortran_order':\s*True/.test(header)) throw new Error(`${path}: fortran order`);
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)[1];
  const dims = shapeText.split(',').map((s) => s.trim()).filter((s) => s.length).map(Number);
  const info = DESCR[descr];
  if (!info) throw new Error(`${path}: unsupported dtype ${descr}`);
  const offset = start + headerLen;
  const count = dims.reduce((a, b) => a * b, 1);
  const bytes = buf.subarray(offset, offset + count * info.Array.BYTES_PER_ELEMENT);
  const data = new info.Array(count);
  new Uint8Array(data.buffer).set(bytes);
  return { type: info.type, dims, data };
}

function writeNpy(path, type, dims, data) {
  const descr = Object.keys(DESCR).find((k) => DESCR[k].type === type);
  if (!descr) throw new Error(`cannot write ${type}`);
  const shape = dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const pre = Buffer.alloc(10);
  pre.writeUInt8(0x93, 0);
  pre.write('NUMPY', 1, 'latin1');
  pre.writeUInt8(1, 6);
  pre.writeUInt8(0, 7);
  pre.writeUInt16LE(header.length, 8);
  const body = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  fs.writeFileSync(path, Buffer.concat([pre, Buffer.from(header, 'latin1'), body]));
}

module.exports = { readNpy, writeNpy };
