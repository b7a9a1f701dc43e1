import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseAllDocuments } from "yaml";
import { kubernetesObjects, renderStack } from "../../tools/lib/render";
import { PROJECT_ROOT, SECRET_PLACEHOLDER, loadStackConfig } from "../../tools/lib/stackConfig";
import { REDACTED, RENDER_MANIFEST, redact, writeRender } from "../../tools/lib/writeRender";
import { runTool } from "../helpers/cli";
import { rendered } from "../helpers/render";
import { validateAgainstSchema } from "../helpers/schema";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "render-"));

function readDir(dir: string): Record<string, string> {
    return Object.fromEntries(
        fs
            .readdirSync(dir)
            .sort()
            .map((f) => [f, fs.readFileSync(path.join(dir, f), "utf8")]),
    );
}

describe("offline render", () => {
    for (const stack of ["prod", "staging"]) {
        it(`renders every Kubernetes object of ${stack} valid against the Kubernetes schema`, async () => {
            const objects = kubernetesObjects(await rendered(stack));
            assert.ok(objects.length >= 12, `only ${objects.length} objects`);
            for (const obj of objects) {
                assert.ok(obj.metadata?.name, `${obj.kind} without a name`);
                await validateAgainstSchema(obj);
            }
        });
    }

    it("has a schema check that rejects a malformed object", async () => {
        const bad = { apiVersion: "v1", kind: "ResourceQuota", metadata: { name: "q", namespace: "n" }, spec: { hard: "lots" } };
        await assert.rejects(validateAgainstSchema(bad));
        await assert.rejects(validateAgainstSchema({ apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" } }), /no schema model/);
    });

    it("has a schema check for external-secrets.io/v1 that rejects a bad creation policy and the removed template engine", async () => {
        const store = kubernetesObjects(await rendered("prod")).find((o) => o.kind === "ExternalSecret")!;
        await validateAgainstSchema(store);
        const target = store.spec.target;
        await assert.rejects(validateAgainstSchema({ ...store, spec: { ...store.spec, target: { ...target, creationPolicy: "Sometimes" } } }));
        await assert.rejects(
            validateAgainstSchema({
                ...store,
                spec: { ...store.spec, target: { ...target, template: { ...target.template, engineVersion: "v1" } } },
            }),
            /engineVersion is "v1"; external-secrets.io\/v1 has only "v2"/,
        );
    });

    it("has a schema check for CiliumNetworkPolicy that rejects a misspelt field and an unknown protocol", async () => {
        const cnp = {
            apiVersion: "cilium.io/v2",
            kind: "CiliumNetworkPolicy",
            metadata: { name: "l7", namespace: "voting-api" },
            spec: {
                endpointSelector: { matchLabels: { app: "api" } },
                ingress: [{ fromEndpoints: [{ matchLabels: { app: "web" } }], toPorts: [{ ports: [{ port: "8000", protocol: "TCP" }] }] }],
            },
        };
        await validateAgainstSchema(cnp);
        const rule = cnp.spec.ingress[0];
        await assert.rejects(
            validateAgainstSchema({ ...cnp, spec: { ...cnp.spec, ingress: [{ fromEndpoints: rule.fromEndpoints, toPort: rule.toPorts }] } }),
            /must NOT have additional properties/,
        );
        await assert.rejects(
            validateAgainstSchema({
                ...cnp,
                spec: { ...cnp.spec, ingress: [{ ...rule, toPorts: [{ ports: [{ port: "8000", protocol: "HTTP" }] }] }] },
            }),
            /must be equal to one of the allowed values/,
        );
    });

    it("is deterministic: the same config gives byte-identical files", async () => {
        const a = tmp();
        const b = tmp();
        writeRender(await renderStack("prod"), a);
        writeRender(await renderStack("prod"), b);
        const first = readDir(a);
        assert.ok(Object.keys(first).includes("voting-api.yaml"));
        assert.deepStrictEqual(readDir(b), first);
    });

    it("writes one YAML file per namespace plus cluster-scoped objects, and the resource graph", async () => {
        const dir = tmp();
        const written = writeRender(await rendered("prod"), dir);
        assert.deepStrictEqual(
            written.filter((f) => f.endsWith(".yaml")),
            [
                "cert-manager.yaml",
                "cluster.yaml",
                "monitoring.yaml",
                "voting-api.yaml",
                "voting-consumer.yaml",
                "voting-data.yaml",
                "voting-frontend.yaml",
            ],
        );
        const cluster = parseAllDocuments(fs.readFileSync(path.join(dir, "cluster.yaml"), "utf8")).map((d) => d.toJS());
        assert.deepStrictEqual(
            cluster.filter((o) => o.kind === "Namespace").map((o) => o.metadata.name),
            ["voting-api", "voting-consumer", "voting-data", "voting-frontend"],
        );
        const graph = JSON.parse(fs.readFileSync(path.join(dir, "resources.json"), "utf8"));
        const quota = graph.find((r: { name: string }) => r.name === "voting-ns-api-quota");
        assert.deepStrictEqual(quota.parent, "voting:namespaces:Namespaces::voting-ns");
        assert.deepStrictEqual(quota.options.dependsOn, ["kubernetes:core/v1:Namespace::voting-ns-api"]);
    });

    it("writes the effective traffic matrix as a Mermaid diagram next to the YAML", async () => {
        const dir = tmp();
        const { main } = await import("../../tools/render");
        const out = process.stdout.write;
        process.stdout.write = () => true;
        try {
            assert.strictEqual(await main(["--stack", "prod", "--out", dir]), 0);
        } finally {
            process.stdout.write = out;
        }
        const mmd = fs.readFileSync(path.join(dir, "network.mmd"), "utf8");
        assert.match(mmd, /^flowchart LR\n/);
        assert.match(mmd, /\n {4}voting_api_api -->\|"5432\/TCP"\| voting_data_postgres\n/);
        assert.match(mmd, /\n {4}subgraph voting_data\["voting-data"\]\n/);
        assert.doesNotMatch(mmd, /voting_frontend_frontend -->\|[^|]*\| voting_data/);
    });

    it("refuses to write into a directory that holds something other than an earlier render", async () => {
        const dir = tmp();
        fs.writeFileSync(path.join(dir, "notes.txt"), "mine");
        assert.throws(
            () => writeRender({ config: loadStackConfig("prod"), resources: [], outputs: {}, secretOutputs: [] }, dir),
            /refusing to write into/,
        );
        assert.strictEqual(fs.readFileSync(path.join(dir, "notes.txt"), "utf8"), "mine");
    });

    const empty = () => ({ config: loadStackConfig("prod"), resources: [], outputs: {}, secretOutputs: [] });

    it("refuses a directory whose resources.json it did not write, and removes nothing from it", () => {
        const dir = tmp();
        fs.writeFileSync(path.join(dir, "resources.json"), "[]\n");
        fs.writeFileSync(path.join(dir, "deploy.yaml"), "mine");
        assert.throws(
            () => writeRender(empty(), dir),
            new RegExp(
                `^InputError: refusing to write into ${dir}: it is not empty and holds no earlier render \\(${RENDER_MANIFEST.replace(".", "\\.")}\\)`,
            ),
        );
        assert.deepStrictEqual(fs.readdirSync(dir).sort(), ["deploy.yaml", "resources.json"]);
    });

    it("replaces its own earlier render, and refuses once anything else is added, removing nothing", () => {
        const dir = tmp();
        const first = writeRender(empty(), dir);
        assert.deepStrictEqual(fs.readdirSync(dir).sort(), [RENDER_MANIFEST, ...first].sort());
        assert.deepStrictEqual(writeRender(empty(), dir), first);
        fs.writeFileSync(path.join(dir, "notes.txt"), "mine");
        assert.throws(() => writeRender(empty(), dir), /refusing to write into .*: it holds notes\.txt, which render did not write/);
        assert.strictEqual(fs.readFileSync(path.join(dir, "notes.txt"), "utf8"), "mine");
        assert.deepStrictEqual(fs.readdirSync(dir).sort(), [RENDER_MANIFEST, ...first, "notes.txt"].sort());
    });

    it("refuses to replace a file it wrote that has changed since", () => {
        const dir = tmp();
        writeRender(empty(), dir);
        fs.writeFileSync(path.join(dir, "outputs.json"), "{}\n// edited\n");
        assert.throws(() => writeRender(empty(), dir), /refusing to write into .*: outputs\.json changed since render wrote it; move it away first/);
        assert.strictEqual(fs.readFileSync(path.join(dir, "outputs.json"), "utf8"), "{}\n// edited\n");
    });

    it("refuses an --out that names a file", () => {
        const f = path.join(tmp(), "out.yaml");
        fs.writeFileSync(f, "x");
        assert.throws(() => writeRender(empty(), f), new RegExp(`--out ${f} is not a directory; name a new or empty directory`));
        assert.strictEqual(fs.readFileSync(f, "utf8"), "x");
    });

    it("exits 2 with one line when --out names a file", () => {
        const f = path.join(tmp(), "out.yaml");
        fs.writeFileSync(f, "x");
        const r = runTool("render", ["--stack", "prod", "--out", f]);
        assert.strictEqual(r.code, 2, r.stdout);
        assert.strictEqual(r.stderr, `render: --out ${f} is not a directory; name a new or empty directory\n`);
    });

    it("replaces secure: config values with a placeholder, as only the CLI can decrypt them", () => {
        const root = tmp();
        fs.copyFileSync(path.join(PROJECT_ROOT, "Pulumi.yaml"), path.join(root, "Pulumi.yaml"));
        fs.writeFileSync(
            path.join(root, "Pulumi.dev.yaml"),
            "config:\n  voting-platform:environment: staging\n  voting-platform:registryToken:\n    secure: v1:AAAABBBBCCCC\n",
        );
        const cfg = loadStackConfig("dev", root);
        assert.strictEqual(cfg.values["voting-platform:registryToken"], SECRET_PLACEHOLDER);
        assert.deepStrictEqual(cfg.secretKeys, ["voting-platform:registryToken"]);
        assert.strictEqual(cfg.values["voting-platform:cni"], "calico", "Pulumi.yaml defaults apply");
    });

    it("redacts Secret payloads in rendered files", () => {
        const secret = {
            apiVersion: "v1",
            kind: "Secret",
            metadata: { name: "s" },
            stringData: { password: "hunter2" },
            data: { url: "cG9zdGdyZXM=" },
        };
        assert.deepStrictEqual(redact(secret), { ...secret, stringData: { password: REDACTED }, data: { url: REDACTED } });
    });

    it("writes no credential of the rendered staging stack: every Secret payload is redacted and no generated password appears in any file", async () => {
        const result = await rendered("staging");
        const secrets = kubernetesObjects(result).filter((o) => o.kind === "Secret");
        assert.ok(secrets.length >= 2, `only ${secrets.length} Secret(s) rendered`);
        const values = secrets.flatMap((o) => [...Object.values(o.stringData ?? {}), ...Object.values(o.data ?? {})].map(String));
        assert.ok(
            values.some((v) => v.includes("generated-voting-secrets-redis-password")),
            "the render carries the generated passwords to redact",
        );
        const dir = tmp();
        writeRender(result, dir);
        const files = readDir(dir);
        for (const [file, text] of Object.entries(files)) {
            for (const v of values) assert.ok(v.length < 8 || !text.includes(v), `${file} carries a Secret value`);
            assert.doesNotMatch(text, /generated-voting-secrets-[a-z-]*password/, file);
        }
        const written = Object.entries(files)
            .filter(([f]) => f.endsWith(".yaml"))
            .flatMap(([, text]) => parseAllDocuments(text).map((d) => d.toJS()))
            .filter((o) => o?.kind === "Secret");
        assert.strictEqual(written.length, secrets.length);
        for (const o of written) {
            for (const field of ["stringData", "data"]) {
                const v = o[field];
                if (v === undefined) continue;
                // A payload that is secret as a whole is written as the placeholder; one known key by key has each value redacted.
                const values = typeof v === "string" ? [v] : Object.values(v);
                assert.ok(values.length > 0, `${o.metadata.name}.${field} is empty`);
                for (const x of values)
                    assert.ok(x === REDACTED || x === SECRET_PLACEHOLDER, `${o.metadata.name}.${field} = ${String(x).slice(0, 12)}…`);
            }
        }
    });
});
