import * as assert from "assert";
import { disallowHostNamespaces } from "../../../../policies/rules/security/disallowHostNamespaces";
import { disallowHostPath } from "../../../../policies/rules/security/disallowHostPath";
import { disallowHostPorts } from "../../../../policies/rules/security/disallowHostPorts";
import { disallowHostProcess } from "../../../../policies/rules/security/disallowHostProcess";
import { disallowPrivileged } from "../../../../policies/rules/security/disallowPrivileged";
import { disallowPrivilegeEscalation } from "../../../../policies/rules/security/disallowPrivilegeEscalation";
import { disallowUnsafeProcMountAndSysctls } from "../../../../policies/rules/security/disallowUnsafeProcMountAndSysctls";
import { requireDropAllCapabilities } from "../../../../policies/rules/security/requireDropAllCapabilities";
import { requireNonRoot } from "../../../../policies/rules/security/requireNonRoot";
import { requireReadOnlyRootFilesystem } from "../../../../policies/rules/security/requireReadOnlyRootFilesystem";
import { requireSeccompProfile } from "../../../../policies/rules/security/requireSeccompProfile";
import { disallowUnconfinedAppArmor } from "../../../../policies/rules/security/disallowUnconfinedAppArmor";
import { asKind, compliantDeployment } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

const RULES = [
    requireNonRoot,
    requireReadOnlyRootFilesystem,
    disallowPrivilegeEscalation,
    requireDropAllCapabilities,
    disallowPrivileged,
    requireSeccompProfile,
    disallowUnconfinedAppArmor,
    disallowHostNamespaces,
    disallowHostPath,
    disallowHostPorts,
    disallowUnsafeProcMountAndSysctls,
    disallowHostProcess,
];

const podSpec = (d: any) => d.spec.template.spec;
const container = (d: any) => d.spec.template.spec.containers[0];

describe("container security policies (1.1.1–1.1.3, P.14)", () => {
    for (const rule of RULES) {
        it(`${rule.name} accepts the compliant Deployment, Pod, Job, CronJob, StatefulSet and DaemonSet`, () => {
            for (const obj of [compliantDeployment(), ...(["Pod", "Job", "CronJob", "StatefulSet", "DaemonSet"] as const).map((k) => asKind(k))]) {
                assert.deepStrictEqual(violations(rule, obj), [], `${rule.name} on ${obj.kind}`);
            }
        });
    }

    it("refuses a container that runs as UID 0", () => {
        const d = withChange(compliantDeployment(), (x) => (container(x).securityContext.runAsUser = 0));
        assert.deepStrictEqual(violations(requireNonRoot, d), [
            'Deployment voting-api/api: container "api" runs as UID 0 (runAsUser: 0); use a non-zero UID',
        ]);
    });

    it("refuses a pod that sets neither runAsNonRoot nor a non-zero UID", () => {
        const d = withChange(compliantDeployment(), (x) => delete podSpec(x).securityContext);
        assert.deepStrictEqual(violations(requireNonRoot, d), [
            'Deployment voting-api/api: container "api" may run as root: set securityContext.runAsNonRoot: true (or a non-zero runAsUser)',
        ]);
    });

    it("lets a container's runAsNonRoot: false override the pod's true when no UID is set", () => {
        const d = withChange(compliantDeployment(), (x) => {
            delete podSpec(x).securityContext.runAsUser;
            container(x).securityContext.runAsNonRoot = false;
        });
        assert.deepStrictEqual(violations(requireNonRoot, d), [
            'Deployment voting-api/api: container "api" sets runAsNonRoot: false; set it to true',
        ]);
    });

    it("checks init and ephemeral containers too", () => {
        const d = withChange(compliantDeployment(), (x) => {
            podSpec(x).initContainers = [{ name: "migrate", image: "i:1", securityContext: { runAsUser: 0 } }];
            podSpec(x).ephemeralContainers = [{ name: "debug", image: "busybox:1.36", securityContext: { runAsUser: 0 } }];
        });
        assert.deepStrictEqual(violations(requireNonRoot, d), [
            'Deployment voting-api/api: init container "migrate" runs as UID 0 (runAsUser: 0); use a non-zero UID',
            'Deployment voting-api/api: ephemeral container "debug" runs as UID 0 (runAsUser: 0); use a non-zero UID',
        ]);
    });

    it("ignores a pod-level readOnlyRootFilesystem, which Kubernetes does not have", () => {
        const d = withChange(compliantDeployment(), (x) => {
            podSpec(x).securityContext.readOnlyRootFilesystem = true;
            delete container(x).securityContext.readOnlyRootFilesystem;
        });
        assert.deepStrictEqual(violations(requireReadOnlyRootFilesystem, d), [
            'Deployment voting-api/api: container "api" has a writable root filesystem: set securityContext.readOnlyRootFilesystem: true',
        ]);
    });

    it("treats an unset allowPrivilegeEscalation as allowed", () => {
        const d = withChange(compliantDeployment(), (x) => delete container(x).securityContext.allowPrivilegeEscalation);
        assert.deepStrictEqual(violations(disallowPrivilegeEscalation, d), [
            'Deployment voting-api/api: container "api" allows privilege escalation: set securityContext.allowPrivilegeEscalation: false',
        ]);
    });

    it("refuses capabilities that are not dropped, or added back", () => {
        const d = withChange(
            compliantDeployment(),
            (x) => (container(x).securityContext.capabilities = { drop: ["NET_RAW"], add: ["NET_ADMIN", "SYS_TIME"] }),
        );
        assert.deepStrictEqual(violations(requireDropAllCapabilities, d), [
            'Deployment voting-api/api: container "api" does not drop all capabilities: set securityContext.capabilities.drop: ["ALL"]',
            'Deployment voting-api/api: container "api" adds capabilities NET_ADMIN, SYS_TIME: remove them from securityContext.capabilities.add',
        ]);
    });

    it("accepts a capability the pack config allows back", () => {
        const d = withChange(compliantDeployment(), (x) => (container(x).securityContext.capabilities.add = ["NET_BIND_SERVICE"]));
        assert.deepStrictEqual(violations(requireDropAllCapabilities, d, { allowedCapabilities: ["NET_BIND_SERVICE"] }), []);
        assert.strictEqual(violations(requireDropAllCapabilities, d).length, 1);
    });

    it("refuses a privileged container", () => {
        const d = withChange(compliantDeployment(), (x) => (container(x).securityContext.privileged = true));
        assert.deepStrictEqual(violations(disallowPrivileged, d), [
            'Deployment voting-api/api: container "api" runs privileged: set securityContext.privileged: false',
        ]);
    });

    it("refuses an Unconfined seccomp profile on the container even when the pod sets RuntimeDefault", () => {
        const d = withChange(compliantDeployment(), (x) => (container(x).securityContext.seccompProfile = { type: "Unconfined" }));
        assert.deepStrictEqual(violations(requireSeccompProfile, d), [
            'Deployment voting-api/api: container "api" uses seccomp profile "Unconfined": use RuntimeDefault',
        ]);
    });

    it("refuses host namespaces, host paths, host ports, unmasked /proc, unsafe sysctls and HostProcess", () => {
        const d = withChange(compliantDeployment(), (x) => {
            Object.assign(podSpec(x), { hostNetwork: true, hostPID: true, hostIPC: false });
            podSpec(x).volumes = [{ name: "docker", hostPath: { path: "/var/run/docker.sock" } }];
            podSpec(x).securityContext.sysctls = [
                { name: "net.ipv4.tcp_syncookies", value: "1" },
                { name: "kernel.msgmax", value: "1" },
            ];
            container(x).ports[0].hostPort = 8000;
            container(x).securityContext.procMount = "Unmasked";
            container(x).securityContext.windowsOptions = { hostProcess: true };
        });
        assert.deepStrictEqual(violations(disallowHostNamespaces, d), [
            "Deployment voting-api/api: sets hostNetwork: true; the pod must not share the node's Network namespace",
            "Deployment voting-api/api: sets hostPID: true; the pod must not share the node's PID namespace",
        ]);
        assert.deepStrictEqual(violations(disallowHostPath, d), [
            'Deployment voting-api/api: volume "docker" mounts host path "/var/run/docker.sock"; use emptyDir or a PVC',
        ]);
        assert.deepStrictEqual(violations(disallowHostPorts, d), [
            'Deployment voting-api/api: container "api" binds host port 8000 (container port 8000); remove hostPort and use a Service',
        ]);
        assert.deepStrictEqual(violations(disallowUnsafeProcMountAndSysctls, d), [
            'Deployment voting-api/api: container "api" sets procMount "Unmasked"; remove it or use "Default"',
            'Deployment voting-api/api: sets unsafe sysctl "kernel.msgmax"; remove it',
        ]);
        assert.deepStrictEqual(violations(disallowHostProcess, d), [
            'Deployment voting-api/api: container "api" runs as a Windows HostProcess container; remove windowsOptions.hostProcess',
        ]);
    });

    it("judges CronJob pod templates at spec.jobTemplate.spec.template", () => {
        const c = withChange(asKind("CronJob"), (x) => (x.spec.jobTemplate.spec.template.spec.containers[0].securityContext.privileged = true));
        assert.deepStrictEqual(violations(disallowPrivileged, c), [
            'CronJob voting-api/api-cronjob: container "api" runs privileged: set securityContext.privileged: false',
        ]);
    });

    it("passes over objects that run no pods", () => {
        const svc = { apiVersion: "v1", kind: "Service", metadata: { name: "api", namespace: "voting-api" }, spec: { ports: [{ port: 80 }] } };
        for (const rule of RULES) assert.deepStrictEqual(violations(rule, svc), []);
    });

    it("refuses a container, or a pod, whose AppArmor profile is Unconfined", () => {
        const own = withChange(compliantDeployment(), (x) => (container(x).securityContext.appArmorProfile = { type: "Unconfined" }));
        assert.deepStrictEqual(violations(disallowUnconfinedAppArmor, own), [
            'Deployment voting-api/api: container "api" runs without AppArmor (appArmorProfile.type: Unconfined); use RuntimeDefault',
        ]);
        const pod = withChange(compliantDeployment(), (x) => (podSpec(x).securityContext.appArmorProfile = { type: "Unconfined" }));
        assert.deepStrictEqual(violations(disallowUnconfinedAppArmor, pod), [
            'Deployment voting-api/api: container "api" runs without AppArmor (appArmorProfile.type: Unconfined on the pod); use RuntimeDefault',
        ]);
        const overridden = withChange(pod, (x) => (container(x).securityContext.appArmorProfile = { type: "RuntimeDefault" }));
        assert.deepStrictEqual(violations(disallowUnconfinedAppArmor, overridden), []);
        const localhost = withChange(
            compliantDeployment(),
            (x) => (container(x).securityContext.appArmorProfile = { type: "Localhost", localhostProfile: "k8s-api" }),
        );
        assert.deepStrictEqual(violations(disallowUnconfinedAppArmor, localhost), []);
    });

    it("refuses a container the AppArmor annotation sets unconfined", () => {
        const d = withChange(
            compliantDeployment(),
            (x) => (x.spec.template.metadata.annotations = { "container.apparmor.security.beta.kubernetes.io/api": "unconfined" }),
        );
        assert.deepStrictEqual(violations(disallowUnconfinedAppArmor, d), [
            'Deployment voting-api/api: container "api" runs without AppArmor (annotation container.apparmor.security.beta.kubernetes.io/api: "unconfined"); use runtime/default',
        ]);
        const other = withChange(
            d,
            (x) => (x.spec.template.metadata.annotations = { "container.apparmor.security.beta.kubernetes.io/api": "runtime/default" }),
        );
        assert.deepStrictEqual(violations(disallowUnconfinedAppArmor, other), []);
    });

    it("judges the pods of a PodTemplate, an Argo Rollout and any kind whose spec.template.spec holds containers", () => {
        const privileged = withChange(compliantDeployment(), (x) => (container(x).securityContext.privileged = true));
        const template = privileged.spec.template;
        const objects = [
            { apiVersion: "v1", kind: "PodTemplate", metadata: { name: "t", namespace: "voting-api" }, template },
            { apiVersion: "argoproj.io/v1alpha1", kind: "Rollout", metadata: { name: "r", namespace: "voting-api" }, spec: { template } },
            { apiVersion: "serving.knative.dev/v1", kind: "Service", metadata: { name: "k", namespace: "voting-api" }, spec: { template } },
            {
                apiVersion: "example.com/v1",
                kind: "ScheduledTask",
                metadata: { name: "s", namespace: "voting-api" },
                spec: { jobTemplate: { spec: { template } } },
            },
        ];
        assert.deepStrictEqual(violations(disallowPrivileged, objects), [
            'PodTemplate voting-api/t: container "api" runs privileged: set securityContext.privileged: false',
            'Rollout voting-api/r: container "api" runs privileged: set securityContext.privileged: false',
            'Service voting-api/k: container "api" runs privileged: set securityContext.privileged: false',
            'ScheduledTask voting-api/s: container "api" runs privileged: set securityContext.privileged: false',
        ]);
    });

    it("takes a custom kind's spec.template for a pod template only when it holds containers", () => {
        const notPods = {
            apiVersion: "example.com/v1",
            kind: "Report",
            metadata: { name: "r", namespace: "voting-api" },
            spec: { template: { spec: { format: "pdf" } } },
        };
        for (const rule of RULES) assert.deepStrictEqual(violations(rule, notPods), [], rule.name);
    });
});
