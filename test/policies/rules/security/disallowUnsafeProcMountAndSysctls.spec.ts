import * as assert from "assert";
import { disallowUnsafeProcMountAndSysctls } from "../../../../policies/rules/security/disallowUnsafeProcMountAndSysctls";
import { asKind, compliantDeployment, inEveryKind, named, POD_KINDS } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

/** The Pod Security baseline profile's safe sysctls. */
const SAFE = [
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
];
const sysctls = (names: unknown[]) =>
    withChange(compliantDeployment(), (x) => (x.spec.template.spec.securityContext.sysctls = names.map((name) => ({ name, value: "1" }))));
const procMount = (pm: unknown) => withChange(compliantDeployment(), (x) => (x.spec.template.spec.containers[0].securityContext.procMount = pm));

describe(disallowUnsafeProcMountAndSysctls.name, () => {
    it("accepts the compliant pod on every kind that runs pods", () => {
        for (const k of POD_KINDS) assert.deepStrictEqual(violations(disallowUnsafeProcMountAndSysctls, asKind(k)), [], k);
    });

    it("accepts every sysctl of the safe set, each on its own", () => {
        for (const s of SAFE) assert.deepStrictEqual(violations(disallowUnsafeProcMountAndSysctls, sysctls([s])), [], s);
    });

    it("refuses each sysctl outside the safe set, and an entry with no name", () => {
        assert.deepStrictEqual(
            violations(disallowUnsafeProcMountAndSysctls, sysctls(["net.ipv4.tcp_syncookies", "kernel.msgmax", "net.core.somaxconn"])),
            [
                'Deployment voting-api/api: sets unsafe sysctl "kernel.msgmax"; remove it',
                'Deployment voting-api/api: sets unsafe sysctl "net.core.somaxconn"; remove it',
            ],
        );
        assert.deepStrictEqual(violations(disallowUnsafeProcMountAndSysctls, sysctls([undefined])), [
            "Deployment voting-api/api: sets unsafe sysctl undefined; remove it",
        ]);
    });

    it("accepts procMount Default or unset, and refuses Unmasked or anything else", () => {
        assert.deepStrictEqual(violations(disallowUnsafeProcMountAndSysctls, procMount("Default")), []);
        assert.deepStrictEqual(violations(disallowUnsafeProcMountAndSysctls, procMount(undefined)), []);
        for (const pm of ["Unmasked", "default"]) {
            assert.deepStrictEqual(violations(disallowUnsafeProcMountAndSysctls, procMount(pm)), [
                `Deployment voting-api/api: container "api" sets procMount "${pm}"; remove it or use "Default"`,
            ]);
        }
    });

    it("refuses an unmasked /proc and an unsafe sysctl on every kind that runs pods", () => {
        for (const obj of inEveryKind((s) => {
            s.containers[0].securityContext.procMount = "Unmasked";
            s.securityContext.sysctls = [{ name: "kernel.msgmax", value: "1" }];
        })) {
            assert.deepStrictEqual(violations(disallowUnsafeProcMountAndSysctls, obj), [
                `${named(obj)}: container "api" sets procMount "Unmasked"; remove it or use "Default"`,
                `${named(obj)}: sets unsafe sysctl "kernel.msgmax"; remove it`,
            ]);
        }
    });

    it("refuses a sysctl entry that is not an object, naming nothing", () => {
        const d = withChange(compliantDeployment(), (x) => (x.spec.template.spec.securityContext.sysctls = [null]));
        assert.deepStrictEqual(violations(disallowUnsafeProcMountAndSysctls, d), [
            "Deployment voting-api/api: sets unsafe sysctl undefined; remove it",
        ]);
    });
});
