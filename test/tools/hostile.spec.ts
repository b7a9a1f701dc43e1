import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import type { K8sObject } from "../../policies/lib/k8s";
import { main } from "../../tools/check";
import { failureCode, failureLine } from "../../tools/lib/cli";
import { PROJECT_ROOT } from "../../tools/lib/stackConfig";
import { runTool } from "../helpers/cli";
import { requireBinary } from "../helpers/servers";
import { compliantDeployment } from "../helpers/fixtures";
import { withChange } from "../helpers/policy";

/*
 * Hostile and unusual inputs to `check --manifests`, each run through the checker's main as the CLI
 * runs it (the process-level ones through the compiled CLI itself). None may end in exit 3: each is
 * judged (exit 0 or 1, with the verdict asserted) or refused (exit 2, one line on stderr naming the
 * file and, for YAML, the line).
 */

interface Run {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
}

/** Runs check's main in this process, as runCli would: its exit code, its stdout, its one stderr line. */
async function check(...args: string[]): Promise<Run> {
    let out = "";
    const write = process.stdout.write;
    process.stdout.write = ((chunk: string) => {
        out += chunk;
        return true;
    }) as typeof process.stdout.write;
    try {
        const code = await main(args);
        return { code, stdout: out, stderr: "" };
    } catch (e) {
        return { code: failureCode(e), stdout: out, stderr: `${failureLine("check", e)}\n` };
    } finally {
        process.stdout.write = write;
    }
}

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "hostile-"));
function file(text: string | Buffer, name = "m.yaml"): string {
    const f = path.join(tmp(), name);
    fs.writeFileSync(f, text);
    return f;
}

interface Reported {
    policy: string;
    file: string;
    kind: string;
    namespace: string | null;
    name: string;
    message: string;
}
async function judged(...args: string[]): Promise<{ code: number; violations: Reported[] }> {
    const r = await check(...args, "--format", "json");
    assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
    assert.strictEqual(r.stderr, "");
    const report = JSON.parse(r.stdout);
    for (const v of report.violations) {
        assert.strictEqual(typeof v.name, "string");
        assert.ok(v.namespace === null || typeof v.namespace === "string");
        assert.ok(typeof v.file === "string" && v.file !== "", `${v.policy}: no file`);
    }
    return { code: r.code, violations: report.violations };
}
const policiesOf = (vs: Reported[]) => [...new Set(vs.map((v) => v.policy))];

function assertRefused(r: Run, message: RegExp): void {
    assert.strictEqual(r.code, 2, r.stdout);
    assert.match(r.stderr, message);
    assert.strictEqual(r.stderr.split("\n").length, 2, "one line on stderr");
    assert.strictEqual(r.stdout, "");
}

const POD = (spec: string, meta = "{name: p, namespace: voting-api}") => `apiVersion: v1\nkind: Pod\nmetadata: ${meta}\nspec:\n${spec}`;

describe("check on hostile input: read as kubectl reads it", () => {
    const JUDGED: [string, string, string, boolean][] = [
        // what, YAML, the policy whose verdict matters, whether it must be reported
        ["privileged: yes (YAML 1.1 true)", POD("  containers:\n  - name: c\n    securityContext: {privileged: yes}\n"), "disallow-privileged", true],
        ["privileged: On", POD("  containers:\n  - name: c\n    securityContext: {privileged: On}\n"), "disallow-privileged", true],
        ["privileged: y", POD("  containers:\n  - name: c\n    securityContext: {privileged: y}\n"), "disallow-privileged", true],
        ["privileged: no (false)", POD("  containers:\n  - name: c\n    securityContext: {privileged: no}\n"), "disallow-privileged", false],
        [
            "privileged: 'yes' (a quoted string the API server refuses)",
            POD("  containers:\n  - name: c\n    securityContext: {privileged: 'yes'}\n"),
            "disallow-privileged",
            false,
        ],
        ["hostPID: on", POD("  hostPID: on\n  containers: [{name: c}]\n"), "disallow-host-namespaces", true],
        ["hostNetwork: YES", POD("  hostNetwork: YES\n  containers: [{name: c}]\n"), "disallow-host-namespaces", true],
        [
            "a << merge of privileged: true",
            POD("  containers:\n  - name: c\n    securityContext:\n      <<: &root {privileged: true, runAsUser: 0}\n"),
            "disallow-privileged",
            true,
        ],
        [
            "a << merge of a list of maps",
            `x: &a {hostPID: true}\ny: &b {hostIPC: true}\n${POD("  <<: [*a, *b]\n  containers: [{name: c}]\n")}`,
            "disallow-host-namespaces",
            true,
        ],
        [
            "readOnlyRootFilesystem: yes (accepted as true)",
            POD("  containers:\n  - name: c\n    securityContext: {readOnlyRootFilesystem: yes}\n"),
            "require-read-only-root-filesystem",
            false,
        ],
        [
            "allowPrivilegeEscalation: off (accepted as false)",
            POD("  containers:\n  - name: c\n    securityContext: {allowPrivilegeEscalation: off}\n"),
            "disallow-privilege-escalation",
            false,
        ],
        ["runAsNonRoot: Y", POD("  securityContext: {runAsNonRoot: Y}\n  containers: [{name: c}]\n"), "require-non-root", false],
        [
            "automountServiceAccountToken: Off",
            POD("  automountServiceAccountToken: Off\n  containers: [{name: c}]\n"),
            "disable-service-account-token-automount",
            false,
        ],
        ["an octal runAsUser: 0 (root)", POD("  securityContext: {runAsUser: 00}\n  containers: [{name: c}]\n"), "require-non-root", true],
        ["a hex hostPort", POD("  containers:\n  - name: c\n    ports: [{containerPort: 0x1F90, hostPort: 0x50}]\n"), "disallow-host-ports", true],
        [
            "a cpu limit of 1e400 (a string to kubectl, no quantity)",
            POD("  containers:\n  - name: c\n    resources: {limits: {cpu: 1e400, memory: 1Gi}}\n"),
            "require-resource-limits",
            true,
        ],
    ];
    for (const [what, yaml, policy, reported] of JUDGED) {
        it(`${reported ? "reports" : "accepts"} ${what}`, async () => {
            const { violations } = await judged("--manifests", file(yaml));
            assert.strictEqual(policiesOf(violations).includes(policy), reported, policiesOf(violations).join(", "));
        });
    }

    it("reads 12:30 and 2001-12-14 as the strings go-yaml keeps, not as a number and a date", async () => {
        const f = file(POD("  containers:\n  - name: c\n    env: [{name: A, value: 12:30}, {name: LOG_LEVEL, value: 2001-12-14}]\n"));
        const { violations } = await judged("--manifests", f, "--pack-config", file('{"disallow-debug-logging": {"envNames": ["A"]}}', "p.json"));
        assert.deepStrictEqual(policiesOf(violations).includes("disallow-debug-logging"), false);
    });

    const REFUSED: [string, string, RegExp][] = [
        [
            "a duplicate key",
            POD("  containers:\n  - name: c\n    securityContext: {privileged: false}\n    securityContext: {privileged: true}\n"),
            /:8: invalid YAML: mapping key "securityContext" already defined at line 7; kubectl refuses duplicate keys$/m,
        ],
        [
            "yes and true as keys of one map",
            "kind: Pod\nmetadata: {name: p}\nyes: 1\ntrue: 2\n",
            /:4: invalid YAML: mapping key "true" already defined at line 3/,
        ],
        ["two merge keys in one map", "a: &a {x: 1}\nkind: Pod\n<<: *a\n<<: *a\n", /:4: invalid YAML: mapping key "<<" already defined at line 3/],
        [
            "a merge that overrides a key written before it",
            `x: &p {privileged: true}\n${POD("  containers:\n  - name: c\n    securityContext:\n      privileged: false\n      <<: *p\n")}`,
            /:10: ambiguous YAML: the merge \(<<\) would override "privileged" written before it/,
        ],
        ["a merge of a scalar", "kind: Pod\n<<: 5\n", /:2: invalid YAML: a merge key \(<<\) takes a map or a list of maps/],
        [
            "a self-referencing alias",
            "apiVersion: v1\nkind: Pod\nmetadata: &m\n  name: p\n  labels: *m\n",
            /:5: invalid YAML: an alias refers to a node that contains it/,
        ],
        ["a self-referencing list", "kind: Pod\nspec: &s [*s]\n", /:2: invalid YAML: an alias refers to a node that contains it/],
        [
            "excessive aliases (a billion laughs)",
            "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\nkind: Pod\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n",
            /:1: invalid YAML: its aliases expand past 1000 nodes/,
        ],
        ["an alias to no anchor", "kind: Pod\nmetadata: {name: *nothing}\n", /:2: invalid YAML: an alias \(\*\) names no anchor defined before it/],
        [".inf", POD("  containers: [{name: c, resources: {limits: {cpu: .inf}}}]\n"), /:5: invalid YAML: \.inf and \.nan are not JSON numbers/],
        [".NaN", "kind: Pod\nx: .NaN\n", /:2: invalid YAML: \.inf and \.nan/],
        ["a map as a key", "kind: Pod\n? {a: 1}\n: b\n", /:2: invalid YAML: a key is a map, a list or an alias/],
        ["a tab as indentation", "kind: Pod\nmetadata:\n\tname: p\n", /:3: invalid YAML: a tab is used for indentation \(column 1\)/],
        ["an unclosed flow sequence", "kind: Pod\nspec: [a, b\n", /:\d+: invalid YAML: /],
        ["a value starting with @", "kind: Pod\nmetadata: {name: @p}\n", /:2: invalid YAML: a plain value starts with a reserved character/],
        ["nesting deeper than any object", `kind: Pod\nx: ${"[".repeat(300)}${"]".repeat(300)}\n`, /:2: the document nests deeper than 256 levels/],
        [
            "a JSON array of objects",
            '[{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}}]',
            /:1: a document is a list of objects, which kubectl does not read/,
        ],
        ["a YAML list of objects", "- apiVersion: v1\n  kind: Pod\n  metadata: {name: p}\n", /:1: a document is a list of objects/],
        ["an empty file", "", /^check: no Kubernetes object in \/.*m\.yaml\n$/],
        ["a file of comments", "# nothing here\n---\n# nor here\n", /^check: no Kubernetes object in /],
        [
            "a file of values documents",
            "replicaCount: 3\n---\nimage: {tag: 1}\n",
            /^check: no Kubernetes object in .* \(2 document\(s\) without a kind\)/,
        ],
    ];
    for (const [what, yaml, message] of REFUSED) {
        it(`refuses ${what} with exit 2 and one line naming the file`, async () => {
            const f = file(yaml);
            const r = await check("--manifests", f);
            assertRefused(r, message);
            assert.ok(r.stderr.includes(f), r.stderr);
        });
    }

    it("refuses an unquoted * value in a Secret without printing the value", async () => {
        const f = file("apiVersion: v1\nkind: Secret\nmetadata: {name: db}\nstringData:\n  password: *hunter2-Secret\n");
        const r = await check("--manifests", f);
        assertRefused(r, /:5: invalid YAML: an alias \(\*\) names no anchor defined before it; quote a value that starts with \*/);
        assert.doesNotMatch(r.stderr, /hunter2/);
    });

    it("never quotes the text around a parse error, where a credential may be", async () => {
        const f = file('apiVersion: v1\nkind: Secret\nmetadata: {name: db}\nstringData:\n  password: "s3cr3t-value\n');
        const r = await check("--manifests", f);
        assert.strictEqual(r.code, 2);
        assert.doesNotMatch(r.stderr, /s3cr3t/);
    });

    it("refuses a UTF-16 file, with or without a byte-order mark", async () => {
        const bom = file(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(POD("  containers: [{name: c}]\n"), "utf16le")]));
        assertRefused(await check("--manifests", bom), /: is UTF-16 encoded; kubectl splits documents only in UTF-8: convert it/);
        const bare = file(Buffer.from(POD("  containers: [{name: c}]\n"), "utf16le"));
        assertRefused(await check("--manifests", bare), /: holds a NUL byte at offset 1; it is UTF-16 without a byte-order mark, or not text/);
    });

    it("refuses bytes that are not UTF-8", async () => {
        assertRefused(await check("--manifests", file(Buffer.from([0x6b, 0x69, 0x6e, 0x64, 0x3a, 0x20, 0xff, 0x0a]))), /: is not valid UTF-8$/m);
    });

    it("reads a UTF-8 file that starts with a byte-order mark", async () => {
        const { violations } = await judged(
            "--manifests",
            file("\ufeff" + POD("  containers:\n  - name: c\n    securityContext: {privileged: true}\n")),
        );
        assert.ok(policiesOf(violations).includes("disallow-privileged"));
    });
});

describe("check on hostile input: closed bypasses", () => {
    const yamlOf = (...objects: K8sObject[]) => objects.map((o) => stringify(o)).join("---\n");
    const CASES: [string, () => K8sObject[], string, string][] = [
        [
            "a ClusterRoleBinding named system:evil that binds cluster-admin to a user",
            () => [
                {
                    apiVersion: "rbac.authorization.k8s.io/v1",
                    kind: "ClusterRoleBinding",
                    metadata: { name: "system:evil" },
                    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" },
                    subjects: [{ kind: "User", name: "mallory" }],
                },
            ],
            "disallow-cluster-admin-bindings",
            "ClusterRoleBinding system:evil: grants full control through ClusterRole cluster-admin (every verb on every resource); bind a narrower role",
        ],
        [
            "a Role on */exec",
            () => [
                {
                    apiVersion: "rbac.authorization.k8s.io/v1",
                    kind: "Role",
                    metadata: { name: "shell", namespace: "voting-api" },
                    rules: [{ apiGroups: [""], resources: ["*/exec"], verbs: ["create"] }],
                },
            ],
            "disallow-pod-exec-grants",
            "Role voting-api/shell: grants pods/exec or pods/attach; remove them (pods/log is enough to read logs)",
        ],
        [
            "image web@latest",
            () => [withChange(compliantDeployment(), (d) => (d.spec.template.spec.containers[0].image = "web@latest"))],
            "require-pinned-image-tag",
            'Deployment voting-api/api: container "api" uses image "web@latest" whose digest "latest" is not one; pin sha256: and 64 hex digits, or a version tag',
        ],
        [
            "an image @sha256:not-a-digest",
            () => [withChange(compliantDeployment(), (d) => (d.spec.template.spec.containers[0].image = "web@sha256:not-a-digest"))],
            "require-pinned-image-tag",
            'Deployment voting-api/api: container "api" uses image "web@sha256:not-a-digest" whose digest "sha256:not-a-digest" is not one; pin sha256: and 64 hex digits, or a version tag',
        ],
        [
            "a privileged pod in a PodTemplate",
            () => [
                {
                    apiVersion: "v1",
                    kind: "PodTemplate",
                    metadata: { name: "t", namespace: "voting-api" },
                    template: withChange(compliantDeployment(), (d) => (d.spec.template.spec.containers[0].securityContext.privileged = true)).spec
                        .template,
                },
            ],
            "disallow-privileged",
            'PodTemplate voting-api/t: container "api" runs privileged: set securityContext.privileged: false',
        ],
        [
            "a privileged pod in an Argo Rollout",
            () => [
                {
                    ...withChange(compliantDeployment(), (d) => (d.spec.template.spec.containers[0].securityContext.privileged = true)),
                    apiVersion: "argoproj.io/v1alpha1",
                    kind: "Rollout",
                },
            ],
            "disallow-privileged",
            'Rollout voting-api/api: container "api" runs privileged: set securityContext.privileged: false',
        ],
        [
            "a container with AppArmor Unconfined",
            () => [
                withChange(
                    compliantDeployment(),
                    (d) => (d.spec.template.spec.containers[0].securityContext.appArmorProfile = { type: "Unconfined" }),
                ),
            ],
            "disallow-unconfined-apparmor",
            'Deployment voting-api/api: container "api" runs without AppArmor (appArmorProfile.type: Unconfined); use RuntimeDefault',
        ],
    ];
    for (const [what, objects, policy, message] of CASES) {
        it(`reports ${what}`, async () => {
            const { code, violations } = await judged("--manifests", file(yamlOf(...objects())));
            assert.strictEqual(code, 1);
            assert.deepStrictEqual(
                violations.filter((v) => v.policy === policy).map((v) => v.message),
                [message],
            );
        });
    }

    it("takes pods/* for the literal subresource it names, not a wildcard", async () => {
        const role = {
            apiVersion: "rbac.authorization.k8s.io/v1",
            kind: "Role",
            metadata: { name: "odd", namespace: "voting-api" },
            rules: [{ apiGroups: [""], resources: ["pods/*"], verbs: ["*"] }],
        };
        const { violations } = await judged("--manifests", file(yamlOf(role)));
        assert.deepStrictEqual(policiesOf(violations), []);
    });

    it("accepts a NetworkPolicy port range (8000 to 9000) for a pod on 8080", async () => {
        const d = compliantDeployment();
        d.spec.template.spec.containers[0].ports = [{ containerPort: 8080 }];
        const np = {
            apiVersion: "networking.k8s.io/v1",
            kind: "NetworkPolicy",
            metadata: { name: "range", namespace: "voting-api" },
            spec: { podSelector: { matchLabels: { "app.kubernetes.io/name": "api" } }, ingress: [{ ports: [{ port: 8000, endPort: 9000 }] }] },
        };
        const { violations } = await judged("--manifests", file(yamlOf(d, np)));
        assert.deepStrictEqual(
            violations.filter((v) => v.policy === "require-network-policy-targets"),
            [],
        );
    });
});

describe("check on hostile input: any JSON value in any field", () => {
    /** Field paths of the compliant Deployment and of objects of other kinds, each replaced by each odd value. */
    const base = compliantDeployment();
    const others: K8sObject[] = [
        {
            apiVersion: "networking.k8s.io/v1",
            kind: "NetworkPolicy",
            metadata: { name: "np", namespace: "voting-api" },
            spec: {
                podSelector: { matchExpressions: [{ key: "a", operator: "In", values: ["b"] }] },
                ingress: [{ from: [{ podSelector: {} }], ports: [{ port: 8000 }] }],
                egress: [{ to: [{ namespaceSelector: {} }] }],
            },
        },
        {
            apiVersion: "networking.k8s.io/v1",
            kind: "Ingress",
            metadata: { name: "web", namespace: "voting-api", annotations: { "nginx.ingress.kubernetes.io/custom-headers": "headers" } },
            spec: {
                tls: [{ hosts: ["a.example"], secretName: "t" }],
                rules: [{ host: "a.example", http: { paths: [{ path: "/", backend: { service: { name: "api", port: { number: 80 } } } }] } }],
            },
        },
        {
            apiVersion: "v1",
            kind: "Service",
            metadata: { name: "api", namespace: "voting-api" },
            spec: { selector: { app: "api" }, ports: [{ port: 80, targetPort: 8000 }] },
        },
        {
            apiVersion: "rbac.authorization.k8s.io/v1",
            kind: "Role",
            metadata: { name: "r", namespace: "voting-api" },
            rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get"] }],
        },
    ];
    const FIELDS: [K8sObject, string[]][] = [
        [base, ["spec", "template", "spec", "containers"]],
        [base, ["spec", "template", "spec", "containers", "0", "ports"]],
        [base, ["spec", "template", "spec", "containers", "0", "env"]],
        [base, ["spec", "template", "spec", "containers", "0", "securityContext"]],
        [base, ["spec", "template", "spec", "containers", "0", "image"]],
        [base, ["spec", "template", "spec", "affinity", "podAntiAffinity", "preferredDuringSchedulingIgnoredDuringExecution"]],
        [base, ["spec", "selector", "matchLabels"]],
        [base, ["spec", "template", "metadata", "labels"]],
        [base, ["metadata", "name"]],
        [base, ["metadata", "namespace"]],
        [base, ["metadata", "annotations"]],
        [base, ["apiVersion"]],
        [others[0], ["spec", "ingress", "0", "from"]],
        [others[0], ["spec", "egress"]],
        [others[0], ["spec", "podSelector", "matchExpressions"]],
        [others[0], ["spec", "ingress", "0", "ports"]],
        [others[1], ["spec", "rules"]],
        [others[1], ["spec", "rules", "0", "host"]],
        [others[1], ["spec", "rules", "0", "http", "paths"]],
        [others[1], ["metadata", "annotations", "nginx.ingress.kubernetes.io/custom-headers"]],
        [others[2], ["spec", "ports"]],
        [others[3], ["rules"]],
        [others[3], ["rules", "0", "verbs"]],
    ];
    const VALUES: [string, unknown][] = [
        ["null", null],
        ["[null]", [null]],
        ["5", 5],
        ['"create"', "create"],
        ["an object with toString and valueOf keys", { toString: 1, valueOf: "x" }],
        ["an object with a __proto__ key", JSON.parse('{"__proto__": {"polluted": true}}')],
        ["[{}]", [{}]],
        ["constructor", "constructor"],
    ];
    for (const [obj, at] of FIELDS) {
        for (const [label, value] of VALUES) {
            it(`judges a ${obj.kind} whose ${at.join(".")} is ${label}`, async () => {
                const changed = withChange(obj, (o: any) => {
                    let cur = o;
                    for (const k of at.slice(0, -1)) cur = cur[k];
                    Object.defineProperty(cur, at[at.length - 1], { value, enumerable: true, writable: true, configurable: true });
                });
                const { violations } = await judged("--manifests", file(JSON.stringify(changed), "m.json"));
                const who = violations.filter((v) => v.kind === obj.kind);
                for (const v of who) assert.ok(v.message.includes(v.name) || (v.namespace !== null && v.message.includes(v.namespace)), v.message);
            });
        }
    }

    it("judges 10,000 one-container Pods as one set", async () => {
        const pods = Array.from({ length: 10_000 }, (_, i) => ({
            apiVersion: "v1",
            kind: "Pod",
            metadata: { name: `p${i}`, namespace: `ns${i % 100}` },
            spec: { containers: [{ name: "c", image: "nginx:1.27.1" }] },
        }));
        const { code, violations } = await judged("--manifests", file(JSON.stringify({ apiVersion: "v1", kind: "List", items: pods }), "pods.json"));
        assert.strictEqual(code, 1);
        assert.strictEqual(violations.filter((v) => v.policy === "require-read-only-root-filesystem").length, 10_000);
    });
});

describe("check on hostile input: paths and arguments", () => {
    const good = () => file(stringify(compliantDeployment()));

    it("accumulates repeated --manifests", async () => {
        const a = file(POD("  containers:\n  - name: c\n    securityContext: {privileged: true}\n", "{name: a, namespace: voting-api}"));
        const b = file(POD("  containers:\n  - name: c\n    securityContext: {privileged: true}\n", "{name: b, namespace: voting-api}"));
        const { violations } = await judged("--manifests", a, "--manifests", b);
        assert.deepStrictEqual(
            violations.filter((v) => v.policy === "disallow-privileged").map((v) => v.name),
            ["a", "b"],
        );
    });

    it("reads a file named twice (or through a link) once", async () => {
        const f = good();
        const link = path.join(path.dirname(f), "link.yaml");
        fs.symlinkSync(f, link);
        const twice = await check("--manifests", f, link, f, "--format", "json");
        assert.strictEqual(JSON.parse(twice.stdout).summary.objects, 1);
    });

    it("refuses a symbolic link cycle in a directory", async () => {
        const dir = tmp();
        fs.writeFileSync(path.join(dir, "a.yaml"), stringify(compliantDeployment()));
        fs.mkdirSync(path.join(dir, "sub"));
        fs.symlinkSync(dir, path.join(dir, "sub", "loop"));
        assertRefused(await check("--manifests", dir), /^check: cannot read .*\/sub\/loop: a symbolic link cycle \(it leads back to .*\)\n$/);
    });

    it("refuses a symbolic link that points to itself", async () => {
        const link = path.join(tmp(), "self.yaml");
        fs.symlinkSync(link, link);
        assertRefused(await check("--manifests", link), /^check: cannot read .*\/self\.yaml: a symbolic link loop\n$/);
    });

    it("refuses a dangling link to a manifest, named or inside a directory", async () => {
        const dir = tmp();
        fs.writeFileSync(path.join(dir, "a.yaml"), stringify(compliantDeployment()));
        fs.symlinkSync(path.join(dir, "gone.yaml"), path.join(dir, "b.yaml"));
        assertRefused(await check("--manifests", dir), /^check: cannot read .*\/b\.yaml: a symbolic link to nothing\n$/);
        assertRefused(await check("--manifests", path.join(dir, "b.yaml")), /a symbolic link to nothing/);
    });

    it("passes over a dangling link that is not a manifest", async () => {
        const dir = tmp();
        fs.writeFileSync(path.join(dir, "a.yaml"), stringify(compliantDeployment()));
        fs.symlinkSync(path.join(dir, "gone"), path.join(dir, "README.lnk"));
        const { violations } = await judged("--manifests", dir);
        assert.ok(violations.every((v) => v.file === path.join(dir, "a.yaml")));
    });

    it("refuses a directory that holds no manifest", async () => {
        const dir = tmp();
        fs.writeFileSync(path.join(dir, "notes.txt"), "x");
        assertRefused(await check("--manifests", dir), /^check: .*: holds no manifest \(no \.yaml, \.yml or \.json file under it\)\n$/);
    });

    it("refuses a device", async () => {
        assertRefused(await check("--manifests", "/dev/null"), /^check: cannot read \/dev\/null: it is a device, not a regular file\n$/);
    });

    it("refuses an unreadable file", async function () {
        if (process.getuid?.() === 0) {
            console.log("      skipped: running as root, which reads any file whatever its mode");
            this.skip();
        }
        const f = good();
        fs.chmodSync(f, 0o000);
        assertRefused(await check("--manifests", f), /^check: cannot read .*: permission denied\n$/);
    });

    const ARGS: [string, () => string[], RegExp][] = [
        ["a value option given twice", () => ["--manifests", good(), "--format", "json", "--format", "text"], /^check: --format is given twice\n$/],
        ["a flag given a value", () => ["--manifests", good(), "--each-file=yes"], /^check: --each-file takes no value\n$/],
        ["--manifests with nothing after it", () => ["--manifests"], /^check: --manifests needs at least one file or directory\n$/],
        ["--each-file with --stack", () => ["--stack", "prod", "--each-file"], /^check: --each-file applies to --manifests only\n$/],
        ["an unknown format", () => ["--manifests", good(), "--format", "xml"], /^check: --format must be text, json, sarif or junit, not "xml"\n$/],
        [
            "pack config settings of the wrong type",
            () => ["--manifests", good(), "--pack-config", file('{"require-replicas": {"minReplicas": "two"}}', "p.json")],
            /: pack config gives policy "require-replicas" a bad setting: minReplicas must be an integer, not "two"\n$/,
        ],
        [
            "a pack config minimum of -1",
            () => ["--manifests", good(), "--pack-config", file('{"require-replicas": {"minReplicas": -1}}', "p.json")],
            /minReplicas must be at least 1, not -1\n$/,
        ],
        [
            "a pack config that is not JSON",
            () => ["--manifests", good(), "--pack-config", file('{"all": "mandatory",\n  oops}', "p.json")],
            /: invalid JSON at line 2, column 3\n$/,
        ],
        [
            "a pack config that is a list",
            () => ["--manifests", good(), "--pack-config", file("[]", "p.json")],
            /pack config is \[\]; it must be a JSON object keyed by policy name\n$/,
        ],
    ];
    for (const [what, args, message] of ARGS) {
        it(`refuses ${what}`, async () => assertRefused(await check(...args()), message));
    }

    it("attributes every violation to a file under --each-file, traffic-matrix findings included", async () => {
        const dir = tmp();
        const d = compliantDeployment();
        fs.writeFileSync(path.join(dir, "api.yaml"), stringify(d));
        const config = file(
            JSON.stringify({
                "enforce-traffic-matrix": { outside: [], allowed: ["voting-api/api -> voting-data/db:5432/TCP"], denied: [], strict: true },
            }),
            "p.json",
        );
        const { violations } = await judged("--manifests", dir, "--each-file", "--pack-config", config);
        const matrix = violations.filter((v) => v.policy === "enforce-traffic-matrix");
        assert.deepStrictEqual(
            matrix.map((v) => [v.file, v.kind, v.name]),
            [[path.join(dir, "api.yaml"), "Deployment", "api"]],
        );
    });
});

describe("check on hostile input: the process itself", () => {
    it("refuses a FIFO at once instead of waiting on it", function () {
        requireBinary(this, "mkfifo", "coreutils");
        const fifo = path.join(tmp(), "pipe.yaml");
        execFileSync("mkfifo", [fifo]);
        const r = runTool("check", ["--manifests", path.dirname(fifo)], { timeout: 20_000 });
        assert.strictEqual(r.signal, null, "it did not hang");
        assert.strictEqual(r.code, 2);
        assert.match(r.stderr, /^check: cannot read .*\/pipe\.yaml: it is a FIFO, not a regular file\n$/);
    });

    it("exits 2 with one line for a self-referencing alias, and never prints a stack trace", () => {
        const r = runTool("check", ["--manifests", file("kind: Pod\nmetadata: &m {name: p, labels: *m}\n")]);
        assert.strictEqual(r.code, 2);
        assert.match(r.stderr, /^check: .*m\.yaml:2: invalid YAML: an alias refers to a node that contains it\n$/);
    });

    it("exits 2 and prints nothing of the Secret for an unquoted * value", () => {
        const r = runTool("check", ["--manifests", file("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  token: *c2VjcmV0\n")]);
        assert.strictEqual(r.code, 2);
        assert.doesNotMatch(r.stderr + r.stdout, /c2VjcmV0/);
        assert.strictEqual(r.stderr.split("\n").length, 2);
    });

    it("exits 0 on a compliant file, 1 on a violation, with nothing on stderr", () => {
        const ok = runTool("check", [
            "--manifests",
            file(stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", namespace: "voting-api" }, data: { a: "b" } })),
        ]);
        assert.deepStrictEqual([ok.code, ok.stderr], [0, ""]);
        const bad = runTool("check", ["--manifests", file(POD("  containers:\n  - name: c\n    securityContext: {privileged: yes}\n"))]);
        assert.deepStrictEqual([bad.code, bad.stderr], [1, ""]);
    });

    it("ends quietly when the reader closes the pipe early", () => {
        const many = Array.from({ length: 300 }, (_, i) => POD("  containers: [{name: c}]\n", `{name: p${i}, namespace: voting-api}`)).join("---\n");
        const f = file(many);
        const err = path.join(path.dirname(f), "stderr");
        runTool("check", ["--manifests", f]); // builds bin/ first
        const out = execFileSync(
            "sh",
            ["-c", `"${process.execPath}" "${path.join(PROJECT_ROOT, "bin", "tools", "check.js")}" --manifests "${f}" 2>"${err}" | head -1`],
            {
                encoding: "utf8",
            },
        );
        assert.strictEqual(out, `voting-production-readiness: 1 manifest file(s) (pack config policies/config/generic.json)\n`);
        assert.strictEqual(fs.readFileSync(err, "utf8"), "");
    });
});
