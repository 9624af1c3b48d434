/** Worker thread of `group`: decodes, parses, groups and encodes blocks of JSON lines (see main.ts `groupInParallel`). */
import { parentPort, workerData } from "node:worker_threads";
import { createGrouper } from "../index.js";
import { loadDefinitions } from "./load.js";
import { handleBlock, makeLineHandler, type BlockJob, type GroupedBlock } from "./lines.js";

const { definitions } = workerData as { definitions: string };
const handle = makeLineHandler(createGrouper(loadDefinitions(definitions)), false, false);
const decoder = new TextDecoder();
const encoder = new TextEncoder();
parentPort!.on("message", (m: BlockJob) => {
  // encode() always returns a fresh (never shared) buffer, which can be transferred.
  const out = encoder.encode(handleBlock(handle, decoder.decode(m.bytes), m.firstLine).out) as Uint8Array<ArrayBuffer>;
  const reply: GroupedBlock = { seq: m.seq, out };
  parentPort!.postMessage(reply, [out.buffer]);
});
