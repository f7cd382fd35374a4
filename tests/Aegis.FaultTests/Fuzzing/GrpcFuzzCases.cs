using System.Text;
using Aegis.Accounts.V1;
using Aegis.Hitl.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Aegis.FaultTests.Fuzzing;

/// <summary>
/// Seeded malformed gRPC calls: typed messages with one field wrong, messages whose bytes are not valid protobuf or
/// carry invalid UTF-8 in a string, bad metadata. Every one must end in a status that blames the client.
/// </summary>
public static class GrpcFuzzCases
{
    /// <summary>Statuses that say the request was at fault (the gRPC counterpart of a 4xx).</summary>
    public static readonly StatusCode[] ClientErrors =
    [
        StatusCode.InvalidArgument, StatusCode.NotFound, StatusCode.AlreadyExists, StatusCode.PermissionDenied, StatusCode.Unauthenticated,
        StatusCode.FailedPrecondition, StatusCode.OutOfRange, StatusCode.ResourceExhausted, StatusCode.Aborted, StatusCode.Unimplemented,
    ];

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(b => b, b => b);

    private static readonly (string Category, int Weight, Func<Random, string, (string What, Func<FuzzTarget, Metadata, CallOptions, Task>)> Build)[] Builders =
    [
        ("wrong values", 12, WrongValues),
        ("malformed JSON", 10, MalformedJson),
        ("NUL characters", 8, NulCharacters),
        ("out-of-range numbers", 8, OutOfRangeNumbers),
        ("oversized fields", 6, OversizedFields),
        ("path traversal in ids", 8, PathTraversal),
        ("invalid UTF-8", 6, InvalidUtf8),
        ("malformed protobuf", 6, MalformedProtobuf),
        ("bad metadata", 6, BadMetadata),
    ];

    /// <summary>The <paramref name="index"/>-th case of the sequence drawn from <paramref name="random"/>.</summary>
    public static FuzzCase Next(Random random, int index, string keyPrefix)
    {
        var (category, build) = Weighted.Pick(random, Builders);
        var (what, call) = build(random, $"{keyPrefix}-{index}");
        return new FuzzCase(index, "gRPC " + category, what, target => SendAsync(target, call, category == "bad metadata"));
    }

    private static async Task<FuzzOutcome> SendAsync(FuzzTarget target, Func<FuzzTarget, Metadata, CallOptions, Task> call, bool ownMetadata)
    {
        var headers = ownMetadata ? [] : new Metadata { { "tenant-id", "fz-tenant" } };
        try
        {
            await call(target, headers, new CallOptions(headers, DateTime.UtcNow + Deadline));
            return new FuzzOutcome("gRPC OK", "OK");
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.DeadlineExceeded)
        {
            return new FuzzOutcome("hang", $"no answer within {Deadline.TotalSeconds:F0} s");
        }
        catch (RpcException ex)
        {
            var kind = ClientErrors.Contains(ex.StatusCode) ? "gRPC client error" : "gRPC server error";
            return new FuzzOutcome(kind, ex.StatusCode.ToString(), Shorten(ex.Status.Detail));
        }
    }

    // Every random draw happens here, when the case is built, never when it is sent: the sequence must not depend on
    // the order in which concurrent sends run.
    private static (string, Func<FuzzTarget, Metadata, CallOptions, Task>) WrongValues(Random r, string key)
    {
        var notUuid = Pick(r, ["x", "1234", "0190a8e2-7a34-7c3d-8e1f"]);
        var seconds = r.Next(1, 1000);
        var outcome = (DecisionOutcome)r.Next(3, 1000);
        var token = r.Next(-5, 5);
        return r.Next(8) switch
        {
            0 => ("Approve with an empty key", (t, _, o) => Hitl(t).ApproveAsync(new ApproveRequest { ThreadId = "t" }, o).ResponseAsync),
            1 => ("GetStatus of a non-UUID", (t, _, o) => Hitl(t).GetStatusAsync(new GetStatusRequest { RequestId = notUuid }, o).ResponseAsync),
            2 => ("BeginExecution with a negative lease", (t, _, o) => Hitl(t).BeginExecutionAsync(
                new BeginExecutionRequest { IdempotencyKey = key, RequireApproval = false, LeaseTtl = new Duration { Seconds = -seconds } }, o).ResponseAsync),
            3 => ("BeginExecution with nanos out of range", (t, _, o) => Hitl(t).BeginExecutionAsync(
                new BeginExecutionRequest { IdempotencyKey = key, RequireApproval = false, LeaseTtl = new Duration { Seconds = 5, Nanos = 2_000_000_000 } }, o).ResponseAsync),
            4 => ("RequestApproval with an unknown on_timeout", (t, _, o) => Hitl(t).RequestApprovalAsync(
                new RequestApprovalRequest { IdempotencyKey = key, ThreadId = "t", OnTimeout = outcome }, o).ResponseAsync),
            5 => ("RequestApproval with a negative timeout", (t, _, o) => Hitl(t).RequestApprovalAsync(
                new RequestApprovalRequest { IdempotencyKey = key, ThreadId = "t", Timeout = new Duration { Seconds = -60 } }, o).ResponseAsync),
            6 => ("CompleteExecution of an unknown key", (t, _, o) => Hitl(t).CompleteExecutionAsync(
                new CompleteExecutionRequest { IdempotencyKey = key, FencingToken = token, ResultJson = "{}" }, o).ResponseAsync),
            _ => ("GetStatus with neither request_id nor idempotency_key", (t, _, o) => Hitl(t).GetStatusAsync(new GetStatusRequest(), o).ResponseAsync),
        };
    }

    private static (string, Func<FuzzTarget, Metadata, CallOptions, Task>) MalformedJson(Random r, string key)
    {
        var depth = r.Next(65, 5000);
        var json = Pick(r, [
            "not json", "[1,2]", "\"text\"", "42", "null", "{\"a\":1,}", "{\"a\":1,\"a\":2}", "{\"a\":\"\\ud800\"}", "{", "{\"a\":1}x",
            string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth),
        ]);
        return r.Next(3) switch
        {
            0 => ($"Approve payload_json {Shorten(json)}", (t, _, o) => Hitl(t).ApproveAsync(new ApproveRequest { IdempotencyKey = key, ThreadId = "t", PayloadJson = json }, o).ResponseAsync),
            1 => ($"RequestApproval payload_json {Shorten(json)}", (t, _, o) => Hitl(t).RequestApprovalAsync(
                new RequestApprovalRequest { IdempotencyKey = key, ThreadId = "t", PayloadJson = json }, o).ResponseAsync),
            _ => ($"BeginExecution payload_json {Shorten(json)}", (t, _, o) => Hitl(t).BeginExecutionAsync(
                new BeginExecutionRequest { IdempotencyKey = key, RequireApproval = false, PayloadJson = json }, o).ResponseAsync),
        };
    }

    private static (string, Func<FuzzTarget, Metadata, CallOptions, Task>) NulCharacters(Random r, string key)
    {
        return r.Next(6) switch
        {
            0 => ("Approve with NUL in the key", (t, _, o) => Hitl(t).ApproveAsync(new ApproveRequest { IdempotencyKey = key + "\0", ThreadId = "t" }, o).ResponseAsync),
            1 => ("Approve with NUL in thread_id", (t, _, o) => Hitl(t).ApproveAsync(new ApproveRequest { IdempotencyKey = key, ThreadId = "t\0" }, o).ResponseAsync),
            2 => ("Reject with NUL in the comment", (t, _, o) => Hitl(t).RejectAsync(new RejectRequest { IdempotencyKey = key, ThreadId = "t", Comment = "no\0" }, o).ResponseAsync),
            3 => ("Approve with \\u0000 in payload_json", (t, _, o) => Hitl(t).ApproveAsync(
                new ApproveRequest { IdempotencyKey = key, ThreadId = "t", PayloadJson = "{\"a\":\"x\\u0000y\"}" }, o).ResponseAsync),
            4 => ("Approve with NUL in a payload Struct string", (t, _, o) => Hitl(t).ApproveAsync(
                new ApproveRequest { IdempotencyKey = key, ThreadId = "t", Payload = Struct(("a", Value.ForString("x\0y"))) }, o).ResponseAsync),
            _ => ("RequestApproval with NUL in comment_for_reviewer", (t, _, o) => Hitl(t).RequestApprovalAsync(
                new RequestApprovalRequest { IdempotencyKey = key, ThreadId = "t", CommentForReviewer = "look\0" }, o).ResponseAsync),
        };
    }

    private static (string, Func<FuzzTarget, Metadata, CallOptions, Task>) OutOfRangeNumbers(Random r, string key)
    {
        var n = Pick(r, ["1e999999", "-1e999999", "1e200000", "1e-999999", "1e-20000"]);
        var nonFinite = Pick(r, [double.NaN, double.PositiveInfinity, double.NegativeInfinity]);
        var longest = Pick(r, [long.MaxValue, 315_576_000_000L, 99_999_999_999L]);
        return r.Next(4) switch
        {
            0 => ($"Approve payload_json number {n}", (t, _, o) => Hitl(t).ApproveAsync(
                new ApproveRequest { IdempotencyKey = key, ThreadId = "t", PayloadJson = $"{{\"amount\":{n}}}" }, o).ResponseAsync),
            1 => ("Approve payload Struct with a non-finite number", (t, _, o) => Hitl(t).ApproveAsync(
                new ApproveRequest { IdempotencyKey = key, ThreadId = "t", Payload = Struct(("a", Value.ForNumber(nonFinite))) }, o).ResponseAsync),
            2 => ("BeginExecution with the longest lease there is", (t, _, o) => Hitl(t).BeginExecutionAsync(
                new BeginExecutionRequest { IdempotencyKey = key, RequireApproval = false, LeaseTtl = new Duration { Seconds = longest } }, o).ResponseAsync),
            _ => ("RequestApproval with a timeout beyond any deadline", (t, _, o) => Hitl(t).RequestApprovalAsync(
                new RequestApprovalRequest { IdempotencyKey = key, ThreadId = "t", Timeout = new Duration { Seconds = longest } }, o).ResponseAsync),
        };
    }

    private static (string, Func<FuzzTarget, Metadata, CallOptions, Task>) OversizedFields(Random r, string key)
    {
        var longText = r.Next(256, 20_000);
        var longComment = r.Next(4097, 50_000);
        return r.Next(5) switch
        {
            0 => ("Approve with a key over 255 characters", (t, _, o) => Hitl(t).ApproveAsync(new ApproveRequest { IdempotencyKey = key + new string('k', longText), ThreadId = "t" }, o).ResponseAsync),
            1 => ("Approve with a thread_id over 255 characters", (t, _, o) => Hitl(t).ApproveAsync(new ApproveRequest { IdempotencyKey = key, ThreadId = new string('t', longText) }, o).ResponseAsync),
            2 => ("Reject with a comment over 4096 characters", (t, _, o) => Hitl(t).RejectAsync(new RejectRequest { IdempotencyKey = key, ThreadId = "t", Comment = new string('c', longComment) }, o).ResponseAsync),
            3 => ("RequestApproval with comment_for_reviewer over 4096 characters", (t, _, o) => Hitl(t).RequestApprovalAsync(
                new RequestApprovalRequest { IdempotencyKey = key, ThreadId = "t", CommentForReviewer = new string('c', longComment) }, o).ResponseAsync),
            _ => ("Approve with a message over 4 MB", (t, _, o) => Hitl(t).ApproveAsync(
                new ApproveRequest { IdempotencyKey = key, ThreadId = "t", PayloadJson = $"{{\"big\":\"{new string('x', 4_300_000)}\"}}" }, o).ResponseAsync),
        };
    }

    private static (string, Func<FuzzTarget, Metadata, CallOptions, Task>) PathTraversal(Random r, string key)
    {
        var id = Pick(r, ["../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "..\\..\\win.ini", "/", "0190a8e2-7a34-7c3d-8e1f-123456789abc/../x", "....//", "%00", "~root"]);
        return r.Next(4) switch
        {
            0 => ($"GetStatus request_id {id}", (t, _, o) => Hitl(t).GetStatusAsync(new GetStatusRequest { RequestId = id }, o).ResponseAsync),
            3 => ($"WatchDecision request_id {id}", async (t, _, o) =>
            {
                // A stream must refuse at once, not hang open on an id it cannot watch.
                using var watch = Hitl(t).WatchDecision(new WatchDecisionRequest { RequestId = id }, o);
                await watch.ResponseStream.MoveNext(o.CancellationToken);
            }),
            1 => ($"RevokeApiKey key_id {id}", (t, _, o) => new AccountService.AccountServiceClient(t.Grpc).RevokeApiKeyAsync(new RevokeApiKeyRequest { KeyId = id }, o).ResponseAsync),
            _ => ($"CompleteExecution key {id}", (t, _, o) => Hitl(t).CompleteExecutionAsync(new CompleteExecutionRequest { IdempotencyKey = id, FencingToken = 1, ResultJson = "{}" }, o).ResponseAsync),
        };
    }

    private static (string, Func<FuzzTarget, Metadata, CallOptions, Task>) InvalidUtf8(Random r, string key)
    {
        byte[][] bad = [[0xC3, 0x28], [0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xE2, 0x82]];
        var seq = Pick(r, bad);
        var field = r.Next(1, 3); // 1 idempotency_key, 2 thread_id
        var bytes = Field(field, [.. Encoding.UTF8.GetBytes(key), .. seq]).Concat(Field(field == 1 ? 2 : 1, Encoding.UTF8.GetBytes("t"))).ToArray();
        return ($"Approve with bytes {Convert.ToHexString(seq)} in field {field}", (t, _, o) => Raw(t, "Approve", bytes, o));
    }

    private static (string, Func<FuzzTarget, Metadata, CallOptions, Task>) MalformedProtobuf(Random r, string key)
    {
        var valid = Field(1, Encoding.UTF8.GetBytes(key)).Concat(Field(2, "t"u8.ToArray())).ToArray();
        byte[] bytes = r.Next(5) switch
        {
            0 => valid[..r.Next(1, valid.Length - 1)],                 // truncated
            1 => [0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F],                  // length far past the end
            2 => [0x0F, 0x01],                                          // field 1 with an invalid wire type
            3 => [0x0A, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01], // varint over 10 bytes
            _ => [.. Enumerable.Range(0, r.Next(1, 64)).Select(_ => (byte)r.Next(256))],   // noise
        };
        var method = Pick(r, ["Approve", "Reject", "BeginExecution", "RequestApproval"]);
        return ($"{method} with bytes {Convert.ToHexString(bytes.AsSpan(0, Math.Min(bytes.Length, 16)))}", (t, _, o) => Raw(t, method, bytes, o));
    }

    private static (string, Func<FuzzTarget, Metadata, CallOptions, Task>) BadMetadata(Random r, string key)
    {
        var request = new ApproveRequest { IdempotencyKey = key, ThreadId = "t" };
        (string What, Metadata Headers) bad = r.Next(5) switch
        {
            0 => ("no credentials", []),
            1 => ("tenant-id over 64 characters", new Metadata { { "tenant-id", new string('x', r.Next(65, 6000)) } }),
            2 => ("unknown API key", new Metadata { { "authorization", "Bearer sk_live_" + new string('z', r.Next(1, 200)) } }),
            3 => ("malformed authorization", new Metadata { { "authorization", Pick(r, ["Basic Zm9vOmJhcg==", "Bearer", "bearer a b"]) } }),
            _ => ("empty tenant-id", new Metadata { { "tenant-id", "" } }),
        };
        return ($"Approve with {bad.What}", (t, _, o) => Hitl(t).ApproveAsync(request, o.WithHeaders(bad.Headers)).ResponseAsync);
    }

    private static HitlService.HitlServiceClient Hitl(FuzzTarget target) => new(target.Grpc);

    private static Task<byte[]> Raw(FuzzTarget target, string method, byte[] bytes, CallOptions options)
    {
        var raw = new Method<byte[], byte[]>(MethodType.Unary, HitlService.Descriptor.FullName, method, Bytes, Bytes);
        return target.Grpc.CreateCallInvoker().AsyncUnaryCall(raw, null, options, bytes).ResponseAsync;
    }

    // A length-delimited protobuf field (wire type 2) with the given number.
    private static byte[] Field(int number, byte[] value)
    {
        var bytes = new List<byte> { (byte)((number << 3) | 2) };
        for (var n = (uint)value.Length; ; n >>= 7)
        {
            if (n < 0x80)
            {
                bytes.Add((byte)n);
                break;
            }

            bytes.Add((byte)((n & 0x7F) | 0x80));
        }

        bytes.AddRange(value);
        return [.. bytes];
    }

    private static Struct Struct(params (string Name, Value Value)[] fields)
    {
        var s = new Struct();
        foreach (var (name, value) in fields)
        {
            s.Fields[name] = value;
        }

        return s;
    }

    private static T Pick<T>(Random r, T[] items) => items[r.Next(items.Length)];

    private static string Shorten(string s) => s.Length <= 80 ? s.Replace("\0", "\\0", StringComparison.Ordinal) : s[..60] + $"…({s.Length} chars)";
}
