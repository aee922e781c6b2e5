// Server configuration from the environment: defaults, units, and refusals that name the variable.

import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ConfigError, configFromEnv, DEFAULTS, isLoopback } from "../../src/server/config.ts";

const config = suite("server config: environment");

config("an empty environment gives the defaults: loopback, port 8080, no token", () => {
  const c = configFromEnv({}, "/srv");
  assert.is(c.host, "127.0.0.1");
  assert.is(c.port, 8080);
  assert.is(c.token, null);
  assert.equal(c.limits, DEFAULTS.limits);
  assert.ok(c.threads >= 1);
});

config("limits take the scenario files' units", () => {
  const c = configFromEnv(
    {
      HINTMIG_MAX_GUEST: "64GiB",
      HINTMIG_MAX_SIMULATED: "90min",
      HINTMIG_WALL_TIME: "2.5s",
      HINTMIG_BODY_LIMIT: "1MiB",
      HINTMIG_MAX_QUEUED: "5",
      HINTMIG_PORT: "0",
      HINTMIG_REPORTS_DIR: "out",
    },
    "/srv",
  );
  assert.is(c.limits.maxGuestBytes, 64 * 2 ** 30);
  assert.is(c.limits.maxSimulatedNs, 90 * 60e9);
  assert.is(c.limits.wallTimeMs, 2500);
  assert.is(c.limits.bodyLimitBytes, 2 ** 20);
  assert.is(c.limits.maxQueued, 5);
  assert.is(c.port, 0);
  assert.is(c.reportsDir, "/srv/out");
});

config("a bad value names the variable and what was expected", () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ HINTMIG_PORT: "http" }, /HINTMIG_PORT: got "http"; expected an integer from 0 to 65535/],
    [{ HINTMIG_PORT: "70000" }, /HINTMIG_PORT/],
    [{ HINTMIG_MAX_GUEST: "lots" }, /HINTMIG_MAX_GUEST: got "lots"; expected a size/],
    [{ HINTMIG_WALL_TIME: "0s" }, /HINTMIG_WALL_TIME: .*expected more than/],
    [{ HINTMIG_MAX_QUEUED: "-1" }, /HINTMIG_MAX_QUEUED/],
  ];
  for (const [env, message] of cases) {
    assert.throws(
      () => configFromEnv(env),
      (error: unknown) => error instanceof ConfigError && message.test(error.message),
    );
  }
});

config("binding beyond loopback needs a token", () => {
  assert.throws(() => configFromEnv({ HINTMIG_HOST: "0.0.0.0" }), /HINTMIG_TOKEN/);
  assert.throws(() => configFromEnv({ HINTMIG_HOST: "192.168.1.5" }), /not a loopback address/);
  const c = configFromEnv({ HINTMIG_HOST: "0.0.0.0", HINTMIG_TOKEN: "t0k3n" });
  assert.is(c.token, "t0k3n");
  assert.is(configFromEnv({ HINTMIG_HOST: "::1" }).host, "::1");
});

config("isLoopback knows 127/8, ::1 and localhost only", () => {
  for (const host of ["127.0.0.1", "127.1.2.3", "::1", "localhost"]) assert.ok(isLoopback(host), host);
  for (const host of ["0.0.0.0", "::", "10.0.0.1", "127.0.0.1.example.com", "localhost.evil"]) {
    assert.not.ok(isLoopback(host), host);
  }
});

config.run();
