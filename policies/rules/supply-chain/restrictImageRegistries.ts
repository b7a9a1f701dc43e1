import { forEachContainer, str } from "../../lib/k8s";
import { parseImage } from "../../lib/images";
import { defineRule } from "../../lib/rule";

/** Checklist 6.3.1: images come only from registries the organisation trusts (and scans). */
export const restrictImageRegistries = defineRule<{ allowedRegistries: string[] }>({
    scope: "resource",
    name: "restrict-image-registries",
    description: "Every image comes from an allowed registry (and repository prefix); an empty allow-list turns the rule off.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Mirror the image into an allowed registry, or add the registry to allowedRegistries in the pack config after review.",
    checklist: ["6.3.1"],
    peers: { kyverno: ["restrict-image-registries"] },
    settings: {
        allowedRegistries: {
            type: "array",
            items: { type: "string", minLength: 1 },
            description: 'Allowed prefixes of registry/repository, e.g. ["123456789012.dkr.ecr.eu-west-1.amazonaws.com/", "docker.io/library/"].',
            default: [],
        },
    },
    kinds: "workloads",
    check: (obj, cfg) =>
        cfg.allowedRegistries.length === 0
            ? []
            : forEachContainer(obj, (c) => {
                  const p = parseImage(str(c.container.image) ?? "");
                  const full = `${p.registry}/${p.repository}`;
                  return cfg.allowedRegistries.some((r) => full.startsWith(r))
                      ? undefined
                      : `uses image from ${p.registry}/${p.repository}, outside the allowed registries (${cfg.allowedRegistries.join(", ")})`;
              }),
});
