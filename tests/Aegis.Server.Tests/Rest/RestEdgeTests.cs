using System.Buffers;
using System.Text;
using Aegis.Hitl.V1;
using Aegis.Server.Rest;
using Google.Api;
using Grpc.Core;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.AspNetCore.Http;

namespace Aegis.Server.Tests.Rest;

/// <summary>The REST edge's decisions, without a server: routes from descriptors, error statuses, exact JSON.</summary>
public sealed class RestEdgeTests
{
    [Fact]
    public void Routes_come_from_the_method_descriptors_and_their_http_rules()
    {
        var methods = HitlService.Descriptor.Methods.ToDictionary(m => m.Name);

        var approve = Route(methods["Approve"]);
        var request = Route(methods["RequestApproval"]);
        var begin = Route(methods["BeginExecution"]);
        var status = Route(methods["GetStatus"]);
        var watch = Route(methods["WatchDecision"]);
        var retention = Route(methods["GetRetentionPolicy"]);

        Assert.Equal((202, false, true, false), (approve.SuccessStatus, approve.ExactPayloadIn, approve.ExactOut, approve.Streaming));
        Assert.Equal((202, true, true), (request.SuccessStatus, request.ExactPayloadIn, request.ExactOut));
        Assert.Equal((200, true, true), (begin.SuccessStatus, begin.ExactPayloadIn, begin.ExactOut));
        Assert.Equal((200, false, true), (status.SuccessStatus, status.ExactPayloadIn, status.ExactOut));
        Assert.True(watch.Streaming && watch.ExactOut);
        Assert.False(retention.ExactOut);
    }

    [Theory]
    [InlineData(StatusCode.FailedPrecondition, "PAYLOAD_MISMATCH", 422)]
    [InlineData(StatusCode.FailedPrecondition, "LEASE_LOST", 409)]
    [InlineData(StatusCode.FailedPrecondition, "AWAITING_APPROVAL", 409)]
    [InlineData(StatusCode.AlreadyExists, "DUPLICATE_KEY", null)]
    [InlineData(StatusCode.InvalidArgument, "PAYLOAD_NOT_OBJECT", null)]
    public void Error_statuses_follow_the_code_and_reason(StatusCode code, string reason, int? expected)
    {
        Assert.Equal(expected, RestErrorBody.StatusFor(code, reason));
    }

    [Fact]
    public void A_response_shows_the_stored_texts_in_place_and_keeps_every_digit()
    {
        var transcoded = """{"request_id":"r","payload":{"n":1.2345678901234567e+19},"payload_json":"{\"n\": 12345678901234567890}","execution":{"fencing_token":"1","result_json":"[1e400]","error_json":""},"version":"2"}""";

        var output = Rewrite(transcoded);

        // The result had no lossy rendering (beyond double range): it is added at the end of its object.
        Assert.Equal("""{"request_id":"r","payload":{"n":12345678901234567890},"execution":{"fencing_token":"1","result":[1e400]},"version":"2"}""", output);
    }

    [Fact]
    public void Actions_inside_a_message_and_a_list_are_rewritten_and_user_json_is_not_visited()
    {
        var transcoded = """{"actions":[{"payload":{},"payload_json":"{\"payload_json\":\"x\"}"}],"action":{"payload_json":"{\"a\":\"<é>\"}","payload":{"a":"\u003c\u00e9\u003e"}}}""";

        var output = Rewrite(transcoded);

        Assert.Equal("""{"actions":[{"payload":{"payload_json":"x"}}],"action":{"payload":{"a":"<é>"}}}""", output);
    }

    [Fact]
    public void A_line_that_is_not_an_object_is_left_alone()
    {
        var writer = new ArrayBufferWriter<byte>();

        Assert.False(ExactJson.TryRewriteMessage("[1,2]"u8, writer));
        Assert.False(ExactJson.TryRewriteMessage("{\"a\":"u8, writer));
        Assert.Equal(0, writer.WrittenCount);
    }

    [Fact]
    public void A_request_payload_object_reaches_the_handler_as_exact_text()
    {
        var body = """{"idempotency_key":"k","payload":{"amount":12345678901234567890}}"""u8;

        var rewritten = Encoding.UTF8.GetString(ExactJson.WithPayloadText(body)!);

        Assert.Equal("""{"payload_json":"{\"amount\":12345678901234567890}","idempotency_key":"k","payload":{"amount":12345678901234567890}}""", rewritten);
        Assert.Null(ExactJson.WithPayloadText("""{"payload_json":"{}","payload":{}}"""u8));
        Assert.Null(ExactJson.WithPayloadText("""{"payload":[1]}"""u8));
        Assert.Null(ExactJson.WithPayloadText("not json"u8));
    }

    [Fact]
    public void An_error_body_carries_reason_and_the_exact_stored_action_at_the_top_and_gets_the_contract_status()
    {
        var transcoded = "{\"code\":9,\"message\":\"m\",\"details\":["
            + "{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\",\"reason\":\"PAYLOAD_MISMATCH\",\"domain\":\"aegis.dev\",\"metadata\":{\"lease_expires_at\":\"t\"}},"
            + "{\"@type\":\"type.googleapis.com/aegis.hitl.v1.Action\",\"request_id\":\"r1\",\"state\":\"ACTION_STATE_PENDING\",\"payload\":{\"n\":1e19},\"payload_json\":\"{\\\"n\\\":10000000000000000001}\"}]}";
        var response = new DefaultHttpContext().Response;
        response.StatusCode = 400;

        var body = Encoding.UTF8.GetString(RestErrorBody.Rewrite(response, Encoding.UTF8.GetBytes(transcoded)).Span);

        Assert.Equal(422, response.StatusCode);
        Assert.Equal(
            "{\"code\":9,\"message\":\"m\",\"details\":["
            + "{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\",\"reason\":\"PAYLOAD_MISMATCH\",\"domain\":\"aegis.dev\",\"metadata\":{\"lease_expires_at\":\"t\"}},"
            + "{\"@type\":\"type.googleapis.com/aegis.hitl.v1.Action\",\"request_id\":\"r1\",\"state\":\"ACTION_STATE_PENDING\",\"payload\":{\"n\":10000000000000000001}}],"
            + "\"reason\":\"PAYLOAD_MISMATCH\",\"lease_expires_at\":\"t\","
            + "\"action\":{\"request_id\":\"r1\",\"state\":\"ACTION_STATE_PENDING\",\"payload\":{\"n\":10000000000000000001}},"
            + "\"request_id\":\"r1\",\"state\":\"ACTION_STATE_PENDING\"}",
            body);
    }

    private static RestRoute Route(Google.Protobuf.Reflection.MethodDescriptor method) =>
        RestRoute.For(new GrpcJsonTranscodingMetadata(method, method.GetOptions().GetExtension(AnnotationsExtensions.Http)));

    private static string Rewrite(string json)
    {
        var writer = new ArrayBufferWriter<byte>();
        Assert.True(ExactJson.TryRewriteMessage(Encoding.UTF8.GetBytes(json), writer));
        return Encoding.UTF8.GetString(writer.WrittenSpan);
    }
}
