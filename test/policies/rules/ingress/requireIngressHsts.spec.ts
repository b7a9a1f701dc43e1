import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { requireIngressHsts } from "../../../../policies/rules/ingress/requireIngressHsts";
import { violations, withChange } from "../../../helpers/policy";
import { compliantIngress, headers } from "./fixtures";

const I = "Ingress voting-frontend/voting";
const NONE = `${I}: sends no Strict-Transport-Security header; add one with max-age=31536000`;
const hsts = (v: string) => headers({ "Strict-Transport-Security": v });
const snippet = (s: string) =>
    withChange(compliantIngress(), (x) => {
        delete x.metadata!.annotations!["nginx.ingress.kubernetes.io/custom-headers"];
        x.metadata!.annotations!["nginx.ingress.kubernetes.io/configuration-snippet"] = s;
    });
const check = (...objs: K8sObject[]) => violations(requireIngressHsts, objs);

describe(requireIngressHsts.name, () => {
    it("accepts a max-age of a year exactly, and refuses one second less", () => {
        assert.deepStrictEqual(check(compliantIngress(), hsts("max-age=31536000; includeSubDomains")), []);
        assert.deepStrictEqual(check(compliantIngress(), hsts("max-age=31535999")), [`${I}: HSTS max-age=31535999 is under 31536000; raise it`]);
    });

    it("takes the minimum from the pack config", () => {
        assert.deepStrictEqual(violations(requireIngressHsts, [compliantIngress(), hsts("max-age=300")], { minMaxAge: 300 }), []);
        assert.deepStrictEqual(violations(requireIngressHsts, [compliantIngress(), hsts("max-age=299")], { minMaxAge: 300 }), [
            `${I}: HSTS max-age=299 is under 300; raise it`,
        ]);
    });

    it("reads the header name in any case, and a ConfigMap named without a namespace from the Ingress's own", () => {
        assert.deepStrictEqual(check(compliantIngress(), headers({ "strict-transport-security": "max-age=31536000" })), []);
        const local = withChange(
            compliantIngress(),
            (x) => (x.metadata!.annotations!["nginx.ingress.kubernetes.io/custom-headers"] = "security-headers"),
        );
        assert.deepStrictEqual(check(local, hsts("max-age=31536000")), []);
    });

    it("does not read a ConfigMap of the same name in another namespace, or of another name", () => {
        assert.deepStrictEqual(check(compliantIngress(), headers({ "Strict-Transport-Security": "max-age=31536000" }, "voting-api")), [NONE]);
        assert.deepStrictEqual(check(compliantIngress(), headers({ "Strict-Transport-Security": "max-age=31536000" }, "voting-frontend", "other")), [
            NONE,
        ]);
    });

    it("refuses no header: no annotation, a ConfigMap without the header, or a header without max-age", () => {
        assert.deepStrictEqual(check(compliantIngress()), [NONE]);
        assert.deepStrictEqual(check(compliantIngress(), headers({ "X-Frame-Options": "DENY" })), [NONE]);
        assert.deepStrictEqual(check(compliantIngress(), hsts("includeSubDomains")), [NONE]);
    });

    it("reads a configuration snippet, in either header syntax, when the ConfigMap has no header", () => {
        assert.deepStrictEqual(check(snippet('more_set_headers "Strict-Transport-Security: max-age=63072000";')), []);
        assert.deepStrictEqual(check(snippet('add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;')), []);
        assert.deepStrictEqual(check(snippet('add_header Strict-Transport-Security "max-age=86400" always;')), [
            `${I}: HSTS max-age=86400 is under 31536000; raise it`,
        ]);
        assert.deepStrictEqual(check(snippet('add_header X-Frame-Options "DENY";')), [NONE]);
        const both = withChange(snippet('more_set_headers "Strict-Transport-Security: max-age=31536000";'), (x) => {
            x.metadata!.annotations!["nginx.ingress.kubernetes.io/custom-headers"] = "voting-frontend/security-headers";
        });
        assert.deepStrictEqual(check(both, headers({ "X-Frame-Options": "DENY" })), []);
    });

    it("asks nothing of an Ingress that does not terminate TLS", () => {
        for (const tls of [undefined, []]) assert.deepStrictEqual(check(withChange(compliantIngress(), (x) => (x.spec.tls = tls))), []);
    });

    it("reads the header among others, from a ConfigMap only, and judges only Ingresses", () => {
        assert.deepStrictEqual(
            check(compliantIngress(), headers({ "X-Frame-Options": "DENY", "Strict-Transport-Security": "max-age=31536000" })),
            [],
        );
        const secret = { ...headers({}), kind: "Secret" };
        assert.deepStrictEqual(check(compliantIngress(), secret, hsts("max-age=31536000")), []);
        assert.deepStrictEqual(check({ ...compliantIngress(), kind: "Lookalike" }), []);
    });
});
