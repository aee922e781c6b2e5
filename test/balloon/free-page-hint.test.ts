import { test } from "uvu";
import * as assert from "uvu/assert";
import { CMD_ID_MIN, FreePageHintDevice } from "../../src/balloon/free-page-hint.ts";
import { CMD_ID_DONE, CMD_ID_STOP } from "../../src/guest-agent/hinting-agent.ts";
import type { PrecopyNotifyReason } from "../../src/migration/notifiers.ts";

const noFaults = { hintsAfterSync: false, hintsClearDirtyLog: false, lazyDirtyLogClear: false };

function device(faults = noFaults, firstId = CMD_ID_MIN) {
  const published: number[] = [];
  const applied: [number, number][] = [];
  const d = new FreePageHintDevice(
    { freePageHint: (start, pages) => applied.push([start, pages]) },
    (id) => published.push(id),
    faults,
    firstId,
  );
  const notify = (reason: PrecopyNotifyReason, guestRunning = true) =>
    d.notify({ reason, nowNs: 0, guestRunning });
  return { d, published, applied, notify };
}

test("ids start above CMD_ID_MIN, count up per sync and wrap back to CMD_ID_MIN", () => {
  const { published, notify } = device(noFaults, 0xfffffffe);
  notify("after-bitmap-sync");
  notify("before-bitmap-sync");
  notify("after-bitmap-sync");
  notify("before-bitmap-sync");
  notify("after-bitmap-sync");
  assert.equal(published, [0xffffffff, CMD_ID_STOP, CMD_ID_MIN, CMD_ID_STOP, CMD_ID_MIN + 1]);
  const fresh = device();
  fresh.notify("after-bitmap-sync");
  assert.equal(fresh.published, [CMD_ID_MIN + 1], "QEMU's first request is MIN + 1");
});

test("hints are applied only in START: after the guest echoes the requested id, before the next sync", () => {
  const { d, applied, notify } = device();
  notify("setup");
  notify("after-bitmap-sync");
  const id = d.cmdId;
  d.handle({ kind: "hint", start: 0, pages: 1024 });
  assert.is(d.state, "requested");
  d.handle({ kind: "cmd-id", id: id - 1 });
  assert.is(d.state, "requested", "a stale id does not start anything");
  d.handle({ kind: "cmd-id", id });
  assert.is(d.state, "start");
  d.handle({ kind: "hint", start: 1024, pages: 1024 });
  notify("before-bitmap-sync");
  assert.is(d.state, "stop");
  d.handle({ kind: "hint", start: 2048, pages: 1024 });
  assert.equal(applied, [[1024, 1024]]);
  assert.is(d.hintsDiscarded, 2);
});

test("a sync with the guest paused, completion and cleanup all end in DONE", () => {
  const { d, published, notify } = device();
  notify("after-bitmap-sync");
  notify("before-bitmap-sync", false);
  notify("after-bitmap-sync", false);
  assert.is(d.state, "done");
  notify("complete", false);
  notify("cleanup", false);
  assert.equal(published, [CMD_ID_MIN + 1, CMD_ID_STOP, CMD_ID_DONE], "DONE is published once");
});

test("the hints-after-sync fault applies hints whatever the state", () => {
  const { d, applied, notify } = device({ ...noFaults, hintsAfterSync: true });
  notify("after-bitmap-sync");
  notify("before-bitmap-sync");
  d.handle({ kind: "hint", start: 7, pages: 1 });
  assert.equal(applied, [[7, 1]]);
});

test.run();
