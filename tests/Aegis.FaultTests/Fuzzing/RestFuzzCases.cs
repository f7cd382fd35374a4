using System.Text;

namespace Aegis.FaultTests.Fuzzing;

/// <summary>
/// Seeded malformed REST requests: each is the original SDK's call (or another transcoded call) with exactly one
/// thing wrong that the contract says must be refused with a 4xx.
/// </summary>
public static class RestFuzzCases
{
    private const string Uuid = "0190a8e2-7a34-7c3d-8e1f-123456789abc";

    // Category → weight → builder. Huge and slow bodies are rare: they cost time, not coverage.
    private static readonly (string Category, int Weight, Func<Random, int, string, Built> Build)[] Builders =
    [
        ("wrong types", 12, WrongTypes),
        ("malformed JSON", 12, MalformedJson),
        ("deeply nested JSON", 6, DeepJson),
        ("huge JSON", 1, HugeJson),
        ("NUL characters", 10, NulCharacters),
        ("out-of-range numbers", 8, OutOfRangeNumbers),
        ("invalid UTF-8", 8, InvalidUtf8),
        ("odd headers", 12, OddHeaders),
        ("oversized headers", 6, OversizedHeaders),
        ("path traversal in ids", 10, PathTraversal),
        ("bad query parameters", 6, BadQuery),
        ("slow bodies", 1, SlowBody),
    ];

    /// <summary>The <paramref name="index"/>-th case of the sequence drawn from <paramref name="random"/>.</summary>
    public static FuzzCase Next(Random random, int index, string keyPrefix)
    {
        var (category, build) = Weighted.Pick(random, Builders);
        var built = build(random, index, $"{keyPrefix}-{index}");
        var description = $"{built.Method} {Shorten(built.Target)} {built.What}";
        return new FuzzCase(index, "REST " + category, description, target => RawHttp.SendAsync(
            target.RestPort, RawHttp.Head(built.Method, built.Target, built.Headers), built.Body, built.Chunk, built.ChunkDelay, built.Stall));
    }

    private static Built WrongTypes(Random r, int i, string key)
    {
        // The body of approve/reject must be a JSON object; typed calls need the right JSON type in each field.
        string[] notObjects = ["[]", "[{\"a\":1}]", "\"text\"", "123", "-0.5", "true", "null", "\"{}\""];
        (string Path, string Body)[] typed =
        [
            ("/api/v1/hitl/requests", $"{{\"idempotency_key\":123,\"thread_id\":\"t\",\"payload_json\":\"{{}}\"}}"),
            ("/api/v1/hitl/requests", $"{{\"idempotency_key\":[\"{key}\"],\"thread_id\":\"t\"}}"),
            ("/api/v1/hitl/requests", $"{{\"idempotency_key\":\"{key}\",\"thread_id\":\"t\",\"payload_json\":{{\"a\":1}}}}"),
            ("/api/v1/hitl/requests", $"{{\"idempotency_key\":\"{key}\",\"thread_id\":\"t\",\"timeout\":60}}"),
            ("/api/v1/hitl/requests", $"{{\"idempotency_key\":\"{key}\",\"thread_id\":\"t\",\"timeout\":\"soon\"}}"),
            ("/api/v1/hitl/requests", $"{{\"idempotency_key\":\"{key}\",\"thread_id\":\"t\",\"on_timeout\":\"MAYBE\"}}"),
            ("/api/v1/hitl/requests", $"{{\"idempotency_key\":\"{key}\",\"thread_id\":\"t\",\"timeout\":\"-60s\"}}"),
            ("/api/v1/hitl/executions/begin", $"{{\"idempotency_key\":\"{key}\",\"require_approval\":\"no\",\"lease_ttl\":\"5s\"}}"),
            ("/api/v1/hitl/executions/begin", $"{{\"idempotency_key\":\"{key}\",\"require_approval\":false,\"lease_ttl\":\"-5s\"}}"),
            ("/api/v1/hitl/executions/begin", $"{{\"idempotency_key\":\"{key}\",\"require_approval\":false,\"lease_ttl\":{{}}}}"),
            ("/api/v1/hitl/executions/complete", $"{{\"idempotency_key\":\"{key}\",\"fencing_token\":\"abc\",\"result_json\":\"{{}}\"}}"),
            ("/api/v1/hitl/executions/complete", $"{{\"idempotency_key\":\"{key}\",\"fencing_token\":1.5,\"result_json\":\"{{}}\"}}"),
            ("/api/v1/hitl/executions/fail", $"{{\"idempotency_key\":\"{key}\",\"fencing_token\":true}}"),
            ("/api/v1/hitl/executions/extend", $"{{\"idempotency_key\":\"{key}\",\"fencing_token\":\"1\",\"lease_ttl\":[1]}}"),
            ("/api/v1/accounts/signup", "{\"email\":123}"),
            ("/api/v1/accounts/signup", "{\"email\":[\"a@example.com\"]}"),
            ("/api/v1/billing/plan", "{\"plan\":42}"),
        ];
        if (r.Next(2) == 0)
        {
            var body = Pick(r, notObjects);
            return Decide(r, key, body, "body " + body);
        }

        var (path, json) = Pick(r, typed);
        return Post(path, key, Encoding.UTF8.GetBytes(json), json);
    }

    private static Built MalformedJson(Random r, int i, string key)
    {
        var valid = $"{{\"to\":\"ceo@example.com\",\"amount\":{r.Next(1000)},\"items\":[1,2,{{\"x\":\"y\"}}]}}";
        string[] broken =
        [
            valid[..r.Next(1, valid.Length - 1)],          // truncated anywhere
            "{a:1}", "{'a':1}", "{\"a\":1,}", "{\"a\":01}", "{\"a\":NaN}", "{\"a\":Infinity}", "{\"a\":.5}", "{\"a\":+1}",
            "{\"a\":\"\\x41\"}", "{\"a\":\"\\u12\"}", "{\"a\" 1}", "{\"a\":1}}", "{\"a\":1} {\"b\":2}", "{\"a\":[1,2}",
            "{\"a\":1,\"a\":2}", "{\"a\":\"\\ud800\"}", "{\"a\":\"\\udc00x\"}", "{\"a\":tru}", "{\"a\":1}garbage",
            "\uFEFF{\"a\":1}x", "{\"a\":\"tab\tinside\"}", "{\"a\":\"line\nbreak\"}",
        ];
        var which = r.Next(3);

        // Spliced into a typed call's own JSON only breakage that is a syntax error there too (a duplicate or a lone
        // surrogate in an unknown member would be ignored, not malformed).
        var body = which == 2 ? Pick(r, ["{a:1}", "{\"a\":1,}", "{\"a\":01}", "{\"a\":NaN}", "{\"a\" 1}", "{\"a\":1}}", "{\"a\":[1,2}", "{\"a\":tru}"]) : Pick(r, broken);

        if (which == 0)
        {
            return Decide(r, key, body, "body " + body);
        }

        // The same breakage inside a typed call's JSON string field (payload_json, result_json) or the call's own JSON.
        var escaped = body.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\t", "\\t", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
        var json = which == 1
            ? $"{{\"idempotency_key\":\"{key}\",\"thread_id\":\"t\",\"payload_json\":\"{escaped}\"}}"
            : $"{{\"idempotency_key\":\"{key}\",\"thread_id\":\"t\",{body.TrimStart('{')}";
        var path = which == 1 ? Pick(r, ["/api/v1/hitl/requests", "/api/v1/hitl/executions/begin"]) : "/api/v1/hitl/requests";
        return Post(path, key, Encoding.UTF8.GetBytes(json), "json " + Shorten(json));
    }

    private static Built DeepJson(Random r, int i, string key)
    {
        var depth = r.Next(65, 20_000);
        var arrays = r.Next(2) == 0;
        var open = arrays ? "[" : "{\"a\":";
        var close = arrays ? "]" : "}";
        var inner = string.Concat(Enumerable.Repeat(open, depth)) + "1" + string.Concat(Enumerable.Repeat(close, depth));
        if (r.Next(3) == 0)
        {
            var json = $"{{\"idempotency_key\":\"{key}\",\"thread_id\":\"t\",\"payload_json\":\"{inner.Replace("\"", "\\\"", StringComparison.Ordinal)}\"}}";
            return Post("/api/v1/hitl/requests", key, Encoding.UTF8.GetBytes(json), $"payload_json nested {depth} deep");
        }

        return Decide(r, key, $"{{\"deep\":{inner}}}", $"payload nested {depth} deep");
    }

    private static Built HugeJson(Random r, int i, string key)
    {
        // Over the 1 MB body limit (413), either one huge string or very many members.
        var size = r.Next(1_100_000, 3_000_000);
        var body = r.Next(2) == 0
            ? $"{{\"big\":\"{new string('x', size)}\"}}"
            : "{" + string.Join(",", Enumerable.Range(0, size / 12).Select(n => $"\"k{n}\":{n}")) + "}";
        return Decide(r, key, body, $"body of {body.Length} bytes");
    }

    private static Built NulCharacters(Random r, int i, string key)
    {
        // A NUL cannot be stored by PostgreSQL (text or jsonb): the contract says 400 before anything is written.
        return r.Next(6) switch
        {
            0 => Decide(r, key, "{\"note\":\"a\\u0000b\"}", "payload string with \\u0000"),
            1 => Decide(r, key, "{\"a\\u0000b\":1}", "payload member name with \\u0000"),
            2 => Decide(r, key, "{\"a\":[\"x\",{\"b\":\"\\u0000\"}]}", "nested payload string with \\u0000"),
            3 => Decide(r, key, "{\"a\":\"raw\0nul\"}", "raw NUL byte inside a JSON string"),
            4 => Decide(r, key + "\0x", "{}", "Idempotency-Key with a raw NUL byte"),
            _ => Post(
                "/api/v1/hitl/requests",
                key,
                Encoding.UTF8.GetBytes($"{{\"idempotency_key\":\"{key}\\u0000\",\"thread_id\":\"t\",\"comment_for_reviewer\":\"x\\u0000y\"}}"),
                "idempotency_key and comment_for_reviewer with \\u0000"),
        };
    }

    private static Built OutOfRangeNumbers(Random r, int i, string key)
    {
        // Payload numbers are kept exactly (PostgreSQL numeric: up to 131072 digits before the point, 16383 after), so
        // 1e400 is a number like any other; these are beyond what can be stored.
        string[] numbers = ["1e999999", "-1e999999", "1e200000", "-1e200000", "1e-999999", "1e-20000", "123456789012345678901234567890e999999"];
        var n = Pick(r, numbers);
        return r.Next(4) switch
        {
            0 => Post(
                "/api/v1/hitl/executions/complete",
                key,
                Encoding.UTF8.GetBytes($"{{\"idempotency_key\":\"{key}\",\"fencing_token\":\"99999999999999999999999\",\"result_json\":\"{{}}\"}}"),
                "fencing_token beyond int64"),
            1 => Post(
                "/api/v1/hitl/executions/begin",
                key,
                Encoding.UTF8.GetBytes($"{{\"idempotency_key\":\"{key}\",\"require_approval\":false,\"lease_ttl\":\"{Pick(r, ["1e999s", "99999999999999999999s", "315576000001s"])}\"}}"),
                "lease_ttl out of range"),
            2 => Post(
                "/api/v1/hitl/requests",
                key,
                Encoding.UTF8.GetBytes($"{{\"idempotency_key\":\"{key}\",\"thread_id\":\"t\",\"payload_json\":\"{{\\\"amount\\\":{n}}}\"}}"),
                $"payload_json number {n}"),
            _ => Decide(r, key, $"{{\"amount\":{n}}}", $"payload number {n}"),
        };
    }

    private static Built InvalidUtf8(Random r, int i, string key)
    {
        byte[][] bad = [[0xC3, 0x28], [0xFF], [0xFE, 0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xE2, 0x82], [0x80]];
        var seq = Pick(r, bad);
        if (r.Next(3) == 0)
        {
            // In a header: not ASCII.
            var latin1 = Encoding.Latin1.GetString(seq);
            return r.Next(2) == 0
                ? Decide(r, key + latin1, "{}", "Idempotency-Key with bytes " + Convert.ToHexString(seq))
                : Decide(r, key, "{}", "Thread-Id with bytes " + Convert.ToHexString(seq), thread: "t" + latin1);
        }

        var body = Concat("{\"note\":\"ok "u8.ToArray(), seq, "\"}"u8.ToArray());
        if (r.Next(2) == 0)
        {
            var json = Concat(Encoding.UTF8.GetBytes($"{{\"idempotency_key\":\"{key}\",\"thread_id\":\"t"), seq, "\"}"u8.ToArray());
            return Post("/api/v1/hitl/requests", key, json, "thread_id with bytes " + Convert.ToHexString(seq));
        }

        return DecideBytes(r, key, body, "payload string with bytes " + Convert.ToHexString(seq));
    }

    private static Built OddHeaders(Random r, int i, string key)
    {
        var body = "{\"a\":1}"u8.ToArray();
        var verb = Pick(r, ["approve", "reject"]);
        var path = $"/api/v1/hitl/{verb}";
        List<(string, string)> Base(string? k = null, string? tenant = "fz-tenant") =>
        [
            ("Host", "127.0.0.1"),
            .. tenant is null ? Array.Empty<(string, string)>() : [("Tenant-Id", tenant)],
            .. k is null ? Array.Empty<(string, string)>() : [("Idempotency-Key", k)],
            ("Thread-Id", "t"), ("Content-Type", "application/json"), ("Connection", "close"),
        ];
        return r.Next(12) switch
        {
            0 => new Built("POST", path, [.. Base(), ("Content-Length", body.Length.ToString())], body, "no Idempotency-Key"),
            1 => new Built("POST", path, [.. Base(""), ("Content-Length", body.Length.ToString())], body, "empty Idempotency-Key"),
            2 => new Built("POST", path, [.. Base(key, tenant: null), ("Content-Length", body.Length.ToString())], body, "no credentials"),
            3 => new Built("POST", path, [.. Base(key), ("Content-Length", "abc")], body, "Content-Length abc"),
            4 => new Built("POST", path, [.. Base(key), ("Content-Length", "-1")], body, "Content-Length -1"),
            5 => new Built("POST", path, [.. Base(key), ("Content-Length", "7"), ("Content-Length", "8")], body, "two different Content-Lengths"),
            6 => new Built("POST", path, [.. Base(key), ("Transfer-Encoding", "chunked")], "zz\r\n{\"a\":1}\r\n0\r\n\r\n"u8.ToArray(), "bad chunk size"),
            7 => new Built("POST", path, [.. Base(key), ("Bad Header", "x"), ("Content-Length", body.Length.ToString())], body, "header name with a space"),
            8 => new Built("POST", path, [.. Base(key + "\u0001"), ("Content-Length", body.Length.ToString())], body, "control character in the Idempotency-Key"),
            9 => new Built("POST", path, [.. Base(key), ("Authorization", "Bearer sk_live_" + new string('z', r.Next(1, 300))), ("Content-Length", body.Length.ToString())], body, "unknown API key"),
            10 => new Built("POST", path, [.. Base(key), ("Authorization", Pick(r, ["Basic Zm9vOmJhcg==", "Bearer", "Bearer ", "bearer x y z"])), ("Content-Length", body.Length.ToString())], body, "malformed Authorization"),
            _ => new Built("POST", path, [.. Base(key), ("Content-Length", body.Length.ToString()), ("Transfer-Encoding", "chunked")], body, "Content-Length and Transfer-Encoding"),
        };
    }

    private static Built OversizedHeaders(Random r, int i, string key)
    {
        return r.Next(5) switch
        {
            0 => Decide(r, key + new string('k', r.Next(256, 8000)), "{}", "Idempotency-Key over 255 characters"),
            1 => Decide(r, key, "{}", "Thread-Id over 255 characters", thread: new string('t', r.Next(256, 8000))),
            2 => Decide(r, key, "{}", "Tenant-Id over 64 characters", tenant: new string('x', r.Next(65, 8000))),
            3 => Decide(r, key, "{}", "headers over 32 KB", extra: [("X-Pad", new string('p', r.Next(33_000, 70_000)))]),
            _ => Decide(r, key, "{}", "over 100 headers", extra: [.. Enumerable.Range(0, r.Next(101, 300)).Select(n => ($"X-H{n}", "v"))]),
        };
    }

    private static Built PathTraversal(Random r, int i, string key)
    {
        string[] ids =
        [
            "../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "..\\..\\windows\\win.ini", "%00", "a%00b",
            $"{Uuid}%00", $"{Uuid}/../../x", "%ZZ", "%", "....//....//", "%252e%252e%252f", new string('9', r.Next(300, 7000)),
            "..;/..;/admin", "%C0%AE%C0%AE%2F", "'%20OR%201=1--", "%E2%80%AE", "~root",
        ];
        var id = Pick(r, ids);
        var (method, target) = r.Next(4) switch
        {
            0 => ("GET", $"/api/v1/hitl/watch/{id}"),
            1 => ("POST", $"/api/v1/accounts/keys/{id}/revoke"),
            _ => ("GET", $"/api/v1/hitl/status/{id}"),
        };
        List<(string, string)> headers = [("Host", "127.0.0.1"), ("Tenant-Id", "fz-tenant"), ("Connection", "close"), ("Content-Length", method == "POST" ? "2" : "0")];
        return new Built(method, target, headers, method == "POST" ? "{}"u8.ToArray() : [], "id " + Shorten(id));
    }

    private static Built BadQuery(Random r, int i, string key)
    {
        // Listing and watching read their filters from the query string: wrong types, out-of-range numbers, NUL.
        var path = Pick(r, ["/api/v1/hitl/actions", "/api/v1/hitl/watch", "/api/v1/billing/usage/events", "/api/v1/billing/usage/export"]);
        var query = path switch
        {
            // The watch takes only a state; other parameters are not its fields and are ignored, as for any call.
            "/api/v1/hitl/watch" => Pick(r, ["state=BOGUS", "state=999", "state=%FF", "state=%00", "state=-1"]),
            "/api/v1/hitl/actions" => Pick(r, [
                "page_size=abc", "page_size=1.5", "page_size=1e999", "page_size=99999999999999999999", "page_size=-5",
                "state=BOGUS", "state=999", "page_token=garbage", "page_token=%00", "thread_id=%00", "state=%FF",
            ]),
            _ => Pick(r, ["period=garbage", "period=2026-13", "period=%00", "period=99999-01", "page_size=-1", "page_size=abc", "page_token=zz"]),
        };
        if (path.EndsWith("/export", StringComparison.Ordinal) && query.StartsWith("page", StringComparison.Ordinal))
        {
            query = "period=" + Pick(r, ["garbage", "2026-00", "%00"]);
        }

        List<(string, string)> headers = [("Host", "127.0.0.1"), ("Tenant-Id", "fz-tenant"), ("Connection", "close")];
        return new Built("GET", $"{path}?{query}", headers, [], "query " + query);
    }

    private static Built SlowBody(Random r, int i, string key)
    {
        // Malformed bodies trickled a few bytes at a time; one in four stops halfway for good.
        var body = Pick(r, ["[1,2,3,4,5,6,7,8,9,10]", "{\"a\":\"unterminated", "{\"amount\":1e999999}", "{\"a\":1,\"a\":2}"]);
        var stall = r.Next(4) == 0;
        var built = Decide(r, key, body, (stall ? "stalled halfway: " : "trickled: ") + body);
        return built with { Chunk = r.Next(1, 4), ChunkDelay = TimeSpan.FromMilliseconds(r.Next(30, 120)), Stall = stall };
    }

    private static Built Decide(Random r, string key, string body, string what, string thread = "t", string tenant = "fz-tenant", (string, string)[]? extra = null) =>
        DecideBytes(r, key, Encoding.UTF8.GetBytes(body), what, thread, tenant, extra);

    private static Built DecideBytes(Random r, string key, byte[] body, string what, string thread = "t", string tenant = "fz-tenant", (string, string)[]? extra = null)
    {
        List<(string, string)> headers =
        [
            ("Host", "127.0.0.1"), ("Tenant-Id", tenant), ("Idempotency-Key", key), ("Thread-Id", thread), ("X-Request-Id", "fz"),
            ("Content-Type", "application/json"), ("Content-Length", body.Length.ToString()), ("Connection", "close"), .. extra ?? [],
        ];
        return new Built("POST", $"/api/v1/hitl/{Pick(r, ["approve", "reject"])}", headers, body, what);
    }

    private static Built Post(string path, string key, byte[] json, string what)
    {
        List<(string, string)> headers =
        [
            ("Host", "127.0.0.1"), ("Tenant-Id", "fz-tenant"), ("Content-Type", "application/json"), ("Content-Length", json.Length.ToString()), ("Connection", "close"),
        ];
        return new Built("POST", path, headers, json, what);
    }

    private static T Pick<T>(Random r, T[] items) => items[r.Next(items.Length)];

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    private static string Shorten(string s) => s.Length <= 80 ? s.Replace("\0", "\\0", StringComparison.Ordinal) : s[..60].Replace("\0", "\\0", StringComparison.Ordinal) + $"…({s.Length} chars)";

    private sealed record Built(string Method, string Target, List<(string Name, string Value)> Headers, byte[] Body, string What)
    {
        public int Chunk { get; init; }

        public TimeSpan ChunkDelay { get; init; }

        public bool Stall { get; init; }
    }
}
