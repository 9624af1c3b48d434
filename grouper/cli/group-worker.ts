/** Worker thread of `group`: parses and groups blocks of JSON lines (see main.ts `groupInParallel`). */
import { parentPort, workerData } from "node:worker_threads";
import { createGrouper } from "../index.js";
import { loadDefinitions } from "./load.js";
import { handleBlock, makeLineHandler } from "./lines.js";

const { definitions } = workerData as { definitions: string };
const handle = makeLineHandler(createGrouper(loadDefinitions(definitions)), false, false);
parentPort!.on("message", (m: { seq: number; block: string; firstLine: number }) => {
  parentPort!.postMessage({ seq: m.seq, out: handleBlock(handle, m.block, m.firstLine).out });
});
