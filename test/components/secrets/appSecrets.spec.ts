import * as assert from "assert";
import { connectionUrls, DATA_ENDPOINTS, urlEncodedTemplate } from "../../../components/secrets/appSecrets";
import { renderTemplate } from "../../helpers/standins";

describe("AppSecrets connection strings", () => {
    it("verifies both servers against the data CA in prod: verify-full with sslrootcert, rediss with ssl_ca_certs and a hostname check", () => {
        assert.deepStrictEqual(connectionUrls(DATA_ENDPOINTS(true), "pw", "rpw"), {
            DATABASE_URL: "postgresql://voting:pw@postgres.voting-data.svc.cluster.local:5432/votes?sslmode=verify-full&sslrootcert=/tls/ca.crt",
            REDIS_URL:
                "rediss://default:rpw@redis.voting-data.svc.cluster.local:6379/0?ssl_cert_reqs=required&ssl_ca_certs=/tls/ca.crt&ssl_check_hostname=true",
        });
    });

    it("refuses TLS endpoints that name no CA file", () => {
        assert.throws(() => connectionUrls({ ...DATA_ENDPOINTS(true), caFile: undefined }, "pw", "rpw"), {
            message: "TLS connections need the CA file clients verify the servers with",
        });
    });

    it("encodes a fetched password so that any character a secret manager generates decodes back from the URL", () => {
        const password = "p@ss:w/rd%+?#&' x!*()[]{}é";
        const encoded = renderTemplate(urlEncodedTemplate("pw"), { pw: password });
        assert.match(encoded, /^[A-Za-z0-9\-_.~%]+$/);
        assert.strictEqual(decodeURIComponent(encoded), password);
    });
});
