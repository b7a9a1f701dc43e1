import * as assert from "assert";
import { spawn, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzer from "@pulumi/pulumi/proto/analyzer_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { toPolicy } from "../../policies/lib/crossguard";
import { RULES } from "../../policies/rules";
import { MINIMAL_IMAGE_FAMILIES } from "../../policies/rules/security/requireMinimalImages";
import { evaluate, resolveRules } from "../../policies/lib/evaluate";
import { cloudResources, kubernetesObjects } from "../../tools/lib/render";
import { rendered } from "../helpers/render";
import { PROJECT_ROOT } from "../../tools/lib/stackConfig";
import { compliantDeployment } from "../helpers/fixtures";
import { pulumiType, withChange } from "../helpers/policy";
import type { K8sObject } from "../../policies/lib/k8s";

const PACK_DIR = path.join(PROJECT_ROOT, "policies");

/** Starts the pack the way the Pulumi CLI does and resolves with the gRPC port it prints. */
function startPack(): Promise<{ proc: ChildProcess; port: number }> {
    const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack");
    // Waivers are judged against a fixed date, as the tests below expect.
    const env = { ...process.env, VOTING_POLICY_TODAY: "2026-06-15" };
    const proc = spawn(process.execPath, [runner, "127.0.0.1:1", PACK_DIR], { cwd: PACK_DIR, env, stdio: ["ignore", "pipe", "pipe"] });
    return new Promise((resolve, reject) => {
        let out = "";
        let err = "";
        proc.stdout!.on("data", (d) => {
            out += d;
            const m = /^(\d+)\s*$/m.exec(out);
            if (m) resolve({ proc, port: Number(m[1]) });
        });
        proc.stderr!.on("data", (d) => (err += d));
        proc.on("exit", (code) => reject(new Error(`policy pack exited ${code}: ${err}`)));
    });
}

const call = <Req, Res>(fn: (req: Req, cb: (e: grpc.ServiceError | null, r: Res) => void) => void, req: Req) =>
    new Promise<Res>((resolve, reject) => fn(req, (e, r) => (e ? reject(e) : resolve(r))));

const LEVEL: Record<string, analyzer.EnforcementLevel> = {
    advisory: analyzer.EnforcementLevel.ADVISORY,
    mandatory: analyzer.EnforcementLevel.MANDATORY,
    disabled: analyzer.EnforcementLevel.DISABLED,
    remediate: analyzer.EnforcementLevel.REMEDIATE,
};

/** A pack config file as the CLI sends it with --policy-pack-config. */
/** The compliant fixture's app image named minimal, as a stack's pack config names the images it builds. */
const FIXTURE_IMAGE_MINIMAL = { "require-minimal-images": { minimalImages: [...MINIMAL_IMAGE_FAMILIES, "registry.example.com/voting/api"] } };

function configureRequest(packConfig: Record<string, string | Record<string, unknown>>): analyzer.ConfigureAnalyzerRequest {
    const req = new analyzer.ConfigureAnalyzerRequest();
    for (const [name, value] of Object.entries(packConfig)) {
        const pc = new analyzer.PolicyConfig();
        const { enforcementLevel, ...props } = typeof value === "string" ? { enforcementLevel: value } : (value as { enforcementLevel?: string });
        const rule = RULES.find((r) => r.name === name)!;
        pc.setEnforcementlevel(LEVEL[enforcementLevel ?? rule.enforcementLevel]);
        pc.setProperties(Struct.fromJavaScript(props as never));
        req.getPolicyconfigMap().set(name, pc);
    }
    return req;
}

function options(): analyzer.AnalyzerResourceOptions {
    const o = new analyzer.AnalyzerResourceOptions();
    o.setProtect(false);
    return o;
}

function analyzeRequest(obj: K8sObject, name: string): analyzer.AnalyzeRequest {
    const req = new analyzer.AnalyzeRequest();
    req.setType(pulumiType(obj));
    req.setName(name);
    req.setUrn(`urn:pulumi:prod::voting-platform::${pulumiType(obj)}::${name}`);
    req.setProperties(Struct.fromJavaScript(obj as never));
    req.setOptions(options());
    return req;
}

function stackResource(obj: K8sObject, name: string): analyzer.AnalyzerResource {
    const r = new analyzer.AnalyzerResource();
    r.setType(pulumiType(obj));
    r.setName(name);
    r.setUrn(`urn:pulumi:prod::voting-platform::${pulumiType(obj)}::${name}`);
    r.setProperties(Struct.fromJavaScript(obj as never));
    r.setOptions(options());
    return r;
}

/** The engine shows a policy's description above each of its messages. */
const described = (name: string) => toPolicy(RULES.find((r) => r.name === name)!).description;

const diag = (d: analyzer.AnalyzeDiagnostic) => ({
    policy: d.getPolicyname(),
    level: d.getEnforcementlevel(),
    message: d.getMessage(),
    urn: d.getUrn(),
});

describe("the policy pack over the analyzer protocol", function () {
    let pack: { proc: ChildProcess; port: number };
    let client: AnalyzerClient;

    before(async function () {
        pack = await startPack();
        client = new AnalyzerClient(`127.0.0.1:${pack.port}`, grpc.credentials.createInsecure());
    });
    after(() => {
        client?.close();
        pack?.proc.kill();
    });

    it("describes itself with every rule of the registry, each with its enforcement level", async () => {
        const info = await call<Empty, analyzer.AnalyzerInfo>(client.getAnalyzerInfo.bind(client), new Empty());
        assert.strictEqual(info.getName(), "voting-production-readiness");
        assert.strictEqual(info.getVersion(), JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8")).version);
        const policies = info.getPoliciesList().map((p) => [p.getName(), p.getEnforcementlevel()]);
        assert.deepStrictEqual(
            policies,
            RULES.map((r) => [r.name, r.enforcementLevel === "mandatory" ? analyzer.EnforcementLevel.MANDATORY : analyzer.EnforcementLevel.ADVISORY]),
        );
    });

    it("blocks a Deployment whose container may run as root, as a mandatory diagnostic", async () => {
        const bad = withChange(compliantDeployment(), (d) => delete d.spec.template.spec.securityContext);
        const res = await call<analyzer.AnalyzeRequest, analyzer.AnalyzeResponse>(client.analyze.bind(client), analyzeRequest(bad, "api"));
        const found = res
            .getDiagnosticsList()
            .map(diag)
            .filter((d) => d.policy === "require-non-root");
        assert.deepStrictEqual(found, [
            {
                policy: "require-non-root",
                level: analyzer.EnforcementLevel.MANDATORY,
                message: `${described("require-non-root")}\nDeployment voting-api/api: container "api" may run as root: set securityContext.runAsNonRoot: true (or a non-zero runAsUser)`,
                urn: "",
            },
        ]);
    });

    it("lets the compliant Deployment through every resource policy", async () => {
        await call<analyzer.ConfigureAnalyzerRequest, Empty>(client.configure.bind(client), configureRequest(FIXTURE_IMAGE_MINIMAL));
        const res = await call<analyzer.AnalyzeRequest, analyzer.AnalyzeResponse>(
            client.analyze.bind(client),
            analyzeRequest(compliantDeployment(), "api"),
        );
        assert.deepStrictEqual(res.getDiagnosticsList().map(diag), []);
    });

    it("reports a stack policy's finding on the resource it concerns", async () => {
        const req = new analyzer.AnalyzeStackRequest();
        req.setResourcesList([stackResource(compliantDeployment(), "api")]);
        const res = await call<analyzer.AnalyzeStackRequest, analyzer.AnalyzeResponse>(client.analyzeStack.bind(client), req);
        const found = res
            .getDiagnosticsList()
            .map(diag)
            .filter((d) => d.policy === "require-default-deny-ingress");
        assert.deepStrictEqual(found[0], {
            policy: "require-default-deny-ingress",
            level: analyzer.EnforcementLevel.MANDATORY,
            message: `${described("require-default-deny-ingress")}\nNamespace voting-api has no default-deny ingress NetworkPolicy, and no policy with policyTypes Ingress selects the pods of Deployment api: they accept traffic from anywhere in the cluster`,
            urn: "urn:pulumi:prod::voting-platform::kubernetes:apps/v1:Deployment::api",
        });
    });

    it("gives, over the protocol with prod's pack config, the offline checker's verdict on the rendered prod stack", async () => {
        const packConfig = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "config", "prod.json"), "utf8"));
        await call<analyzer.ConfigureAnalyzerRequest, Empty>(client.configure.bind(client), configureRequest(packConfig));
        const result = await rendered("prod");
        // Break one thing, so that both paths have something to report.
        const objects = kubernetesObjects(result).map((o) =>
            o.kind === "Deployment" && o.metadata?.name === "frontend"
                ? withChange(o, (d) => (d.spec.template.spec.containers[0].securityContext.privileged = true))
                : o,
        );
        const resources = objects.map((o, i) => stackResource(o, `r${i}`));
        const stackReq = new analyzer.AnalyzeStackRequest();
        stackReq.setResourcesList(resources);
        const viaStack = await call<analyzer.AnalyzeStackRequest, analyzer.AnalyzeResponse>(client.analyzeStack.bind(client), stackReq);
        const viaResources = await Promise.all(
            objects.map((o, i) => call<analyzer.AnalyzeRequest, analyzer.AnalyzeResponse>(client.analyze.bind(client), analyzeRequest(o, `r${i}`))),
        );
        const grpc = [...viaStack.getDiagnosticsList(), ...viaResources.flatMap((r) => r.getDiagnosticsList())]
            .map(
                (d) =>
                    `${d.getPolicyname()}|${d.getEnforcementlevel() === analyzer.EnforcementLevel.MANDATORY ? "mandatory" : "advisory"}|${d.getMessage().split("\n").slice(1).join("\n")}`,
            )
            .sort();
        const offline = evaluate(resolveRules(RULES, packConfig), objects)
            .map((v) => `${v.policy}|${v.level}|${v.message}`)
            .sort();
        assert.deepStrictEqual(grpc, offline);
        assert.deepStrictEqual(offline, [
            'disallow-privileged|mandatory|Deployment voting-frontend/frontend: container "frontend" runs privileged: set securityContext.privileged: false',
        ]);
    });

    it("judges prod's cloud resources over the protocol as the offline checker does: a replication rule without the replica key is refused", async () => {
        const packConfig = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "config", "prod.json"), "utf8"));
        await call<analyzer.ConfigureAnalyzerRequest, Empty>(client.configure.bind(client), configureRequest(packConfig));
        const cloud = cloudResources(await rendered("prod")).map((r) => ({
            type: r.type,
            name: r.name,
            props:
                r.type === "aws:s3/bucketReplicationConfig:BucketReplicationConfig"
                    ? withChange(r.state, (p: any) => delete p.rules[0].destination.encryptionConfiguration)
                    : r.state,
        }));
        const stackReq = new analyzer.AnalyzeStackRequest();
        stackReq.setResourcesList(
            cloud.map((c) => {
                const r = new analyzer.AnalyzerResource();
                r.setType(c.type);
                r.setName(c.name);
                r.setUrn(`urn:pulumi:prod::voting-platform::${c.type}::${c.name}`);
                r.setProperties(Struct.fromJavaScript(JSON.parse(JSON.stringify(c.props))));
                r.setOptions(options());
                return r;
            }),
        );
        const viaStack = await call<analyzer.AnalyzeStackRequest, analyzer.AnalyzeResponse>(client.analyzeStack.bind(client), stackReq);
        const cloudRules = new Set(RULES.filter((r) => r.scope === "cloud").map((r) => r.name));
        const grpc = viaStack
            .getDiagnosticsList()
            .filter((d) => cloudRules.has(d.getPolicyname()))
            .map((d) => `${d.getPolicyname()}|${d.getMessage().split("\n").slice(1).join("\n")}|${d.getUrn()}`);
        const offline = evaluate(resolveRules(RULES, packConfig), [], cloud)
            .filter((v) => v.resource)
            .map((v) => `${v.policy}|${v.message}|urn:pulumi:prod::voting-platform::${v.resource!.type}::${v.resource!.name}`);
        assert.deepStrictEqual(grpc, offline);
        assert.deepStrictEqual(offline, [
            "require-bucket-replication|BucketReplicationConfig voting-backups-replication rule cross-region names no replica KMS key; set destination.encryptionConfiguration.replicaKmsKeyId to a key in the replica region|urn:pulumi:prod::voting-platform::aws:s3/bucketReplicationConfig:BucketReplicationConfig::voting-backups-replication",
        ]);
    });

    it("takes a stack's pack config over the protocol, as --policy-pack-config sends it", async () => {
        const conf = new analyzer.ConfigureAnalyzerRequest();
        const pc = new analyzer.PolicyConfig();
        pc.setEnforcementlevel(analyzer.EnforcementLevel.ADVISORY);
        pc.setProperties(Struct.fromJavaScript({}));
        conf.getPolicyconfigMap().set("require-non-root", pc);
        await call<analyzer.ConfigureAnalyzerRequest, Empty>(client.configure.bind(client), conf);
        const bad = withChange(compliantDeployment(), (d) => delete d.spec.template.spec.securityContext);
        const res = await call<analyzer.AnalyzeRequest, analyzer.AnalyzeResponse>(client.analyze.bind(client), analyzeRequest(bad, "api"));
        const found = res
            .getDiagnosticsList()
            .map(diag)
            .filter((d) => d.policy === "require-non-root");
        assert.deepStrictEqual(
            found.map((d) => d.level),
            [analyzer.EnforcementLevel.ADVISORY],
        );
    });

    it("leaves a finding the object waives unreported, and reports an expired waiver and its finding", async () => {
        await call<analyzer.ConfigureAnalyzerRequest, Empty>(client.configure.bind(client), configureRequest(FIXTURE_IMAGE_MINIMAL));
        const writable = (waiver: string) =>
            withChange(compliantDeployment(), (d) => {
                d.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem = false;
                d.metadata!.annotations = { "waiver.voting-platform.io/require-read-only-root-filesystem": waiver };
            });
        const found = async (obj: K8sObject) => {
            const res = await call<analyzer.AnalyzeRequest, analyzer.AnalyzeResponse>(client.analyze.bind(client), analyzeRequest(obj, "api"));
            return res
                .getDiagnosticsList()
                .map(diag)
                .map((d) => `${d.policy}: ${d.message.split("\n").slice(1).join("\n")}`);
        };
        assert.deepStrictEqual(await found(writable("nginx writes its pid to / (expires 2026-06-15)")), []);
        assert.deepStrictEqual(await found(writable("nginx writes its pid to / (expires 2026-06-14)")), [
            'require-read-only-root-filesystem: Deployment voting-api/api: container "api" has a writable root filesystem: set securityContext.readOnlyRootFilesystem: true',
            "require-valid-waivers: Deployment voting-api/api: waives require-read-only-root-filesystem until 2026-06-14, which has passed; fix the findings or renew the waiver with a new date",
        ]);
    });

    it("does not let an object waive what prod's pack config makes unwaivable", async () => {
        const packConfig = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "config", "prod.json"), "utf8"));
        await call<analyzer.ConfigureAnalyzerRequest, Empty>(client.configure.bind(client), configureRequest(packConfig));
        const root = withChange(compliantDeployment(), (d) => {
            delete d.spec.template.spec.securityContext;
            d.metadata!.annotations = { "waiver.voting-platform.io/require-non-root": "the image needs root (expires 2026-07-01)" };
        });
        const res = await call<analyzer.AnalyzeRequest, analyzer.AnalyzeResponse>(client.analyze.bind(client), analyzeRequest(root, "api"));
        const messages = res
            .getDiagnosticsList()
            .map(diag)
            .filter((d) => d.policy === "require-non-root")
            .map((d) => d.message.split("\n")[1]);
        assert.deepStrictEqual(messages, [
            'Deployment voting-api/api: container "api" may run as root: set securityContext.runAsNonRoot: true (or a non-zero runAsUser) (its waiver does not apply: this stack\'s pack config does not let objects waive require-non-root)',
        ]);
    });

    it("remediates a resource over the protocol with the four safe fixes at the remediate level, after which they find nothing", async () => {
        const fixable = [
            "require-seccomp-profile",
            "disallow-privilege-escalation",
            "require-drop-all-capabilities",
            "disable-service-account-token-automount",
        ];
        await call<analyzer.ConfigureAnalyzerRequest, Empty>(
            client.configure.bind(client),
            configureRequest(Object.fromEntries(fixable.map((p) => [p, "remediate"]))),
        );
        const bare = withChange(compliantDeployment(), (d) => {
            const pod = d.spec.template.spec;
            delete pod.securityContext.seccompProfile;
            delete pod.automountServiceAccountToken;
            delete pod.containers[0].securityContext.allowPrivilegeEscalation;
            delete pod.containers[0].securityContext.capabilities;
        });
        const req = new analyzer.AnalyzeRequest();
        req.setType(pulumiType(bare));
        req.setName("api");
        req.setUrn(`urn:pulumi:prod::voting-platform::${pulumiType(bare)}::api`);
        req.setProperties(Struct.fromJavaScript(bare as never));
        req.setOptions(options());
        const res = await call<analyzer.AnalyzeRequest, analyzer.RemediateResponse>(client.remediate.bind(client), req);
        const remediations = res.getRemediationsList();
        assert.deepStrictEqual(
            remediations.map((r) => r.getPolicyname()),
            RULES.map((r) => r.name).filter((n) => fixable.includes(n)),
        );
        const fixed = remediations[remediations.length - 1].getProperties()!.toJavaScript() as K8sObject;
        const pod = fixed.spec.template.spec;
        assert.deepStrictEqual(pod.securityContext.seccompProfile, { type: "RuntimeDefault" });
        assert.strictEqual(pod.automountServiceAccountToken, false);
        assert.deepStrictEqual(pod.containers[0].securityContext, {
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ["ALL"] },
        });
        const after = await call<analyzer.AnalyzeRequest, analyzer.AnalyzeResponse>(client.analyze.bind(client), analyzeRequest(fixed, "api"));
        assert.deepStrictEqual(
            after
                .getDiagnosticsList()
                .map(diag)
                .filter((d) => fixable.includes(d.policy)),
            [],
        );
    });
});
