import { suite } from "uvu";
import * as assert from "uvu/assert";
import { CpuAccount } from "../../src/transport/cpu.ts";

const cpu = suite("transport: CPU account");

cpu("busy time adds up per host; idle is what the cores did not do", () => {
  const a = new CpuAccount(4);
  a.charge({ host: "source", thread: "migration", busyNs: 600 });
  a.charge({ host: "source", thread: "multifd-send-0", busyNs: 200 });
  a.charge({ host: "destination", thread: "receive", busyNs: 300 });
  a.charge({ host: "source", thread: "migration", busyNs: 400 });
  assert.is(a.busyNs("source"), 1200);
  assert.is(a.busyNs("destination"), 300);
  assert.is(a.idlePercent("source", 1000), 70);
  assert.is(a.idlePercent("destination", 1000), 92.5);
});

cpu("a thread name on both hosts stays two threads, each on its own host", () => {
  const a = new CpuAccount(2);
  a.charge({ host: "source", thread: "libvirtd", busyNs: 5 });
  a.charge({ host: "destination", thread: "libvirtd", busyNs: 7 });
  a.charge({ host: "source", thread: "libvirtd", busyNs: 1 });
  assert.equal(a.threads(), [
    ["libvirtd", 6],
    ["libvirtd@destination", 7],
  ]);
  assert.equal(a.hostThreads("destination"), [["libvirtd", 7]]);
  assert.is(a.busyNs("source"), 6);
});

cpu("zero and negative charges are ignored", () => {
  const a = new CpuAccount(1);
  a.charge({ host: "source", thread: "migration", busyNs: 0 });
  a.charge({ host: "source", thread: "migration", busyNs: -3 });
  assert.equal(a.threads(), []);
});

cpu.run();
