import * as assert from "assert";
import { disallowDebugLogging } from "../../../../policies/rules/app/disallowDebugLogging";
import { asKind, compliantDeployment, inEveryKind, named, POD_KINDS } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

const env = (entries: unknown) => withChange(compliantDeployment(), (x) => (x.spec.template.spec.containers[0].env = entries));
const logsAt = (level: string, name = "LOG_LEVEL") => `Deployment voting-api/api: container "api" logs at ${level} (${name}); use INFO in production`;

describe(disallowDebugLogging.name, () => {
    it("accepts the compliant pod on every kind that runs pods, and INFO, WARN and ERROR", () => {
        for (const k of POD_KINDS) assert.deepStrictEqual(violations(disallowDebugLogging, asKind(k)), [], k);
        for (const level of ["INFO", "WARN", "ERROR", "", "DEBUGGER"])
            assert.deepStrictEqual(violations(disallowDebugLogging, env([{ name: "LOG_LEVEL", value: level }])), [], level);
    });

    it("refuses DEBUG, TRACE and ALL, whatever the case", () => {
        for (const level of ["DEBUG", "debug", "TRACE", "Trace", "ALL", "all"]) {
            assert.deepStrictEqual(violations(disallowDebugLogging, env([{ name: "LOG_LEVEL", value: level }])), [logsAt(level)], level);
        }
    });

    it("reads each configured variable name, and only those", () => {
        for (const name of ["LOG_LEVEL", "LOGLEVEL", "LOGGING_LEVEL"]) {
            assert.deepStrictEqual(violations(disallowDebugLogging, env([{ name, value: "DEBUG" }])), [logsAt("DEBUG", name)], name);
        }
        assert.deepStrictEqual(violations(disallowDebugLogging, env([{ name: "UVICORN_LOG_LEVEL", value: "debug" }])), []);
        assert.deepStrictEqual(
            violations(disallowDebugLogging, env([{ name: "UVICORN_LOG_LEVEL", value: "debug" }]), { envNames: ["UVICORN_LOG_LEVEL"] }),
            [logsAt("debug", "UVICORN_LOG_LEVEL")],
        );
    });

    it("passes over env entries that are not objects, and an env that is not a list", () => {
        assert.deepStrictEqual(violations(disallowDebugLogging, env([null, { name: "LOG_LEVEL" }])), []);
        assert.deepStrictEqual(violations(disallowDebugLogging, env("LOG_LEVEL=DEBUG")), []);
    });

    it("refuses debug logging on every kind that runs pods", () => {
        for (const obj of inEveryKind((s) => (s.containers[0].env = [{ name: "LOG_LEVEL", value: "TRACE" }]))) {
            assert.deepStrictEqual(violations(disallowDebugLogging, obj), [
                `${named(obj)}: container "api" logs at TRACE (LOG_LEVEL); use INFO in production`,
            ]);
        }
    });
});
