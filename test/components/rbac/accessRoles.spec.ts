import * as assert from "assert";
import { kubernetesObjects } from "../../../tools/lib/render";
import { rendered } from "../../helpers/render";

describe("AccessRoles (4.4.2, 6.5.1)", () => {
    it("binds developers to read-only, SRE to the namespace admin role and CI/CD to a deploy role in every voting namespace", async () => {
        const objs = kubernetesObjects(await rendered("prod"));
        for (const ns of ["voting-frontend", "voting-api", "voting-consumer", "voting-data"]) {
            const bindings = objs.filter((o) => o.kind === "RoleBinding" && o.metadata?.namespace === ns);
            assert.deepStrictEqual(
                bindings
                    .map((b) => `${b.metadata?.name} -> ${b.roleRef.kind}/${b.roleRef.name} for ${b.subjects[0].kind}/${b.subjects[0].name}`)
                    .sort(),
                [
                    "voting-deployer -> Role/voting-deployer for ServiceAccount/voting-deployer",
                    "voting-developers -> Role/voting-developer for Group/voting-developers",
                    "voting-sre -> ClusterRole/admin for Group/voting-sre",
                ],
                ns,
            );
        }
        assert.ok(!objs.some((o) => o.kind === "ClusterRoleBinding"), "no cluster-wide grants");
    });

    it("gives developers logs but no Secrets, no exec and no delete", async () => {
        const dev = kubernetesObjects(await rendered("prod")).find((o) => o.kind === "Role" && o.metadata?.name === "voting-developer")!;
        const flat = dev.rules.flatMap((r: { resources: string[]; verbs: string[] }) => r.resources.map((res) => `${res}:${r.verbs.join(",")}`));
        assert.ok(flat.includes("pods/log:get"));
        assert.ok(
            flat.every((f: string) => !f.startsWith("secrets") && !f.startsWith("pods/exec") && !f.includes("delete")),
            flat.join(" "),
        );
    });
});
