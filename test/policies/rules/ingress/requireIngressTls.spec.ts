import * as assert from "assert";
import { requireIngressTls } from "../../../../policies/rules/ingress/requireIngressTls";
import { violations, withChange } from "../../../helpers/policy";
import { compliantIngress } from "./fixtures";

const I = "Ingress voting-frontend/voting";
const ingress = (change: (x: any) => void) => withChange(compliantIngress(), change);
const REDIRECT_OFF = `${I}: turns off the HTTP→HTTPS redirect; remove nginx.ingress.kubernetes.io/ssl-redirect: "false"`;

describe(requireIngressTls.name, () => {
    it("accepts TLS for every host with the redirect left on or at its default", () => {
        assert.deepStrictEqual(violations(requireIngressTls, compliantIngress()), []);
        assert.deepStrictEqual(
            violations(
                requireIngressTls,
                ingress((x) => delete x.metadata.annotations),
            ),
            [],
        );
    });

    it("refuses plain HTTP, with no tls or an empty list", () => {
        for (const tls of [undefined, []]) {
            assert.deepStrictEqual(
                violations(
                    requireIngressTls,
                    ingress((x) => (x.spec.tls = tls)),
                ),
                [`${I}: serves plain HTTP only; add spec.tls with a certificate Secret`],
            );
        }
    });

    it("refuses a host without a tls entry, and accepts one a wildcard of its parent domain covers", () => {
        assert.deepStrictEqual(
            violations(
                requireIngressTls,
                ingress((x) => x.spec.rules.push({ host: "admin.example.org" })),
            ),
            [`${I}: host admin.example.org has no tls entry; add it to spec.tls[].hosts`],
        );
        const wildcard = ingress((x) => {
            x.spec.tls[0].hosts = ["*.example.com"];
            x.spec.rules.push({ host: "admin.example.com" }, {});
        });
        assert.deepStrictEqual(violations(requireIngressTls, wildcard), []);
        const deeper = ingress((x) => {
            x.spec.tls[0].hosts = ["*.example.com"];
            x.spec.rules = [{ host: "a.b.example.com" }];
        });
        assert.deepStrictEqual(violations(requireIngressTls, deeper), [`${I}: host a.b.example.com has no tls entry; add it to spec.tls[].hosts`]);
    });

    it("reads a rule with an empty host as one for every host, which names no host to cover", () => {
        assert.deepStrictEqual(
            violations(
                requireIngressTls,
                ingress((x) => x.spec.rules.push({ host: "", http: x.spec.rules[0].http })),
            ),
            [],
        );
    });

    it("refuses each tls entry without a certificate Secret", () => {
        const two = ingress((x) => (x.spec.tls = [{ hosts: ["voting.example.com"] }, { hosts: [], secretName: "" }]));
        assert.deepStrictEqual(violations(requireIngressTls, two), [
            `${I}: a tls entry has no secretName; name the certificate Secret`,
            `${I}: a tls entry has no secretName; name the certificate Secret`,
        ]);
    });

    it("refuses the redirect turned off by ssl-redirect, and by force-ssl-redirect", () => {
        assert.deepStrictEqual(
            violations(
                requireIngressTls,
                ingress((x) => (x.metadata.annotations["nginx.ingress.kubernetes.io/ssl-redirect"] = "false")),
            ),
            [REDIRECT_OFF],
        );
        assert.deepStrictEqual(
            violations(
                requireIngressTls,
                ingress((x) => (x.metadata.annotations["nginx.ingress.kubernetes.io/force-ssl-redirect"] = "false")),
            ),
            [REDIRECT_OFF],
        );
        assert.deepStrictEqual(
            violations(
                requireIngressTls,
                ingress((x) => (x.metadata.annotations["nginx.ingress.kubernetes.io/force-ssl-redirect"] = "true")),
            ),
            [],
        );
    });

    it("refuses a disabled redirect on plain HTTP too, and judges only Ingresses", () => {
        const plain = ingress((x) => {
            delete x.spec.tls;
            x.metadata.annotations["nginx.ingress.kubernetes.io/ssl-redirect"] = "false";
        });
        assert.deepStrictEqual(violations(requireIngressTls, plain), [
            `${I}: serves plain HTTP only; add spec.tls with a certificate Secret`,
            REDIRECT_OFF,
        ]);
        assert.deepStrictEqual(
            violations(
                requireIngressTls,
                withChange(plain, (x) => (x.kind = "IngressClass")),
            ),
            [],
        );
    });
});
