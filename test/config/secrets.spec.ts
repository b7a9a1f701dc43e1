import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { renderStack, type RenderResult } from "../../tools/lib/render";
import { PROJECT_ROOT, SECRET_PLACEHOLDER } from "../../tools/lib/stackConfig";
import { writeRender } from "../../tools/lib/writeRender";

/** A kubeconfig whose token is a canary: wherever it shows up in plain text, the secret leaked. */
const CANARY = "canary-7f3a9c1e5b";
const KUBECONFIG = [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    "- name: voting-prod",
    "  cluster: {server: 'https://10.0.0.1'}",
    "users:",
    "- name: deployer",
    `  user: {token: ${CANARY}}`,
    "contexts:",
    "- name: voting-prod",
    "  context: {cluster: voting-prod, user: deployer}",
    "current-context: voting-prod",
].join("\n");

/** Every resource and output of a render that carries the canary in plain text. */
function plainLeaks(result: RenderResult): string[] {
    const leaks = result.resources.filter((r) => JSON.stringify(r.redactedInputs).includes(CANARY)).map((r) => r.key);
    if (JSON.stringify(result.outputs).includes(CANARY)) leaks.push("stack outputs");
    return leaks;
}

describe("secret config under the mock runtime", () => {
    let result: RenderResult;
    before(async function () {
        this.timeout(60_000);
        result = await renderStack("prod", PROJECT_ROOT, PROJECT_ROOT, {
            // Prod creates its cluster; a kubeconfig is how a stack reaches an existing one.
            values: { "voting-platform:kubeconfig": KUBECONFIG, "voting-platform:cluster": '{"create":false}' },
            secretKeys: ["voting-platform:kubeconfig"],
        });
    });

    it("passes a kubeconfig set with --secret to the cluster provider as a secret", () => {
        const provider = result.resources.find((r) => r.key === "pulumi:providers:kubernetes::voting-cluster")!;
        assert.strictEqual(provider.inputs.kubeconfig, KUBECONFIG, "the provider receives the kubeconfig");
        assert.strictEqual(provider.redactedInputs.kubeconfig, SECRET_PLACEHOLDER, "wrapped as a secret on the way");
    });

    it("keeps the kubeconfig secret in every resource input and stack output", () => {
        assert.deepStrictEqual(plainLeaks(result), []);
        const carriers = result.resources.filter((r) => JSON.stringify(r.inputs).includes(CANARY)).map((r) => r.key);
        assert.deepStrictEqual(carriers, ["pulumi:providers:kubernetes::voting-cluster"]);
    });

    it("writes no file of the render with the kubeconfig in it", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "secret-render-"));
        writeRender(result, dir);
        const files = fs.readdirSync(dir);
        assert.ok(files.includes("resources.json"));
        assert.deepStrictEqual(
            files.filter((f) => fs.readFileSync(path.join(dir, f), "utf8").includes(CANARY)),
            [],
        );
    });

    it("refuses the kubeconfig set in plain text, naming the key and never the value", async () => {
        const error = await renderStack("prod", PROJECT_ROOT, PROJECT_ROOT, {
            values: { "voting-platform:kubeconfig": KUBECONFIG, "voting-platform:cluster": '{"create":false}' },
        }).then(
            () => undefined,
            (e: Error) => e,
        );
        assert.ok(error, "a plain-text kubeconfig must be refused");
        assert.strictEqual(
            error.message,
            "config `voting-platform:kubeconfig` is a credential (value not shown); it is in plain text: set it with `pulumi config set --secret kubeconfig < kubeconfig.yaml` and remove the plain value",
        );
        assert.ok(!error.message.includes(CANARY));
    });

    it("refuses a plain key set with --secret without printing it", async () => {
        await assert.rejects(
            renderStack("prod", PROJECT_ROOT, PROJECT_ROOT, { values: { "voting-platform:cni": "calico" }, secretKeys: ["voting-platform:cni"] }),
            (e: Error) =>
                e.message ===
                "config `voting-platform:cni` is a secret (value not shown); it holds no credential and is read as plain configuration: set it without --secret",
        );
    });
});
