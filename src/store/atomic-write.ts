// Whole-file writes that readers never see half done: write a temporary file beside the target, flush it
// to disk, rename it over the target. A rename within one directory is atomic, so a reader (the server, a
// report generator, a second run) sees the old file or the whole new one, never a prefix, even if the
// process dies in the middle.

import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

/** The file operations `writeFileAtomic` needs; tests swap in failing ones. */
export interface AtomicFs {
  writeFileSync(file: string, data: string): void;
  renameSync(from: string, to: string): void;
  rmSync(file: string, options: { force: boolean }): void;
}

/** Temporary files start with a dot and end in .tmp, so listings and cleanups can tell them apart. */
export const TEMP_FILE = /^\..+\.tmp$/;

/** Whether `name` is a temporary file of a write to `target` (a base name). */
export function isTempFileOf(name: string, target: string): boolean {
  return name.startsWith(`.${target}.`) && name.endsWith(".tmp");
}

function tempPathFor(target: string): string {
  return path.join(
    path.dirname(target),
    `.${path.basename(target)}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`,
  );
}

// fsync before the rename: without it a power cut can leave the new name pointing at an empty file.
const durableFs: AtomicFs = {
  writeFileSync(file, data) {
    const fd = fs.openSync(file, "wx");
    try {
      fs.writeFileSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  },
  renameSync: fs.renameSync,
  rmSync: fs.rmSync,
};

/** Writes `data` to `target` atomically; if anything fails, the temporary file is removed. */
export function writeFileAtomic(target: string, data: string, io: AtomicFs = durableFs): void {
  const temp = tempPathFor(target);
  try {
    io.writeFileSync(temp, data);
    io.renameSync(temp, target);
  } catch (error) {
    io.rmSync(temp, { force: true });
    throw error;
  }
}

/**
 * The same, without blocking the event loop: a server writes statuses while it answers requests, and an
 * fsync can take milliseconds.
 */
export async function writeFileAtomicAsync(target: string, data: string): Promise<void> {
  const temp = tempPathFor(target);
  try {
    const handle = await fs.promises.open(temp, "wx");
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.promises.rename(temp, target);
  } catch (error) {
    await fs.promises.rm(temp, { force: true });
    throw error;
  }
}
