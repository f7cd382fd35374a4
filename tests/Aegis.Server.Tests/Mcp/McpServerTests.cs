using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Aegis.Server.Tests.Infrastructure;
using ModelContextProtocol;
using ModelContextProtocol.Client;

namespace Aegis.Server.Tests.Mcp;

/// <summary>Aegis as an MCP server at <c>/mcp</c>, driven by the SDK's MCP client, against the real PostgreSQL.</summary>
public sealed class McpServerTests(McpFixture fixture) : IClassFixture<McpFixture>
{
    private AegisServer Server => fixture.Server;

    [Fact]
    public async Task Request_then_reviewer_approves_over_rest_and_wait_for_decision_returns_the_decision()
    {
        var (_, _, agentKey, reviewerKey, reviewerKeyId) = await fixture.NewTenantAsync();
        await using var agent = await McpCalls.ConnectAsync(Server, "/mcp", agentKey);

        var requested = await McpCalls.CallAsync(agent, "request_approval", new Dictionary<string, object?>
        {
            ["idempotency_key"] = "wire-1",
            ["thread_id"] = "run-1",
            ["payload"] = new { amount = 12345678901234567890m, to = "acme" },
            ["timeout_seconds"] = 3600,
        });
        var action = McpCalls.Ok(requested).GetProperty("action");
        Assert.Equal("PENDING", action.GetProperty("state").GetString());
        var requestId = action.GetProperty("request_id").GetString()!;

        // The wait is in place once it reported the snapshot; only then does the reviewer decide.
        var progress = new ConcurrentQueue<ProgressNotificationValue>();
        var watching = new TaskCompletionSource();
        var wait = McpCalls.CallAsync(
            agent, "wait_for_decision", new Dictionary<string, object?> { ["request_id"] = requestId, ["timeout_seconds"] = 120 },
            progress: new SyncProgress(p =>
            {
                progress.Enqueue(p);
                watching.TrySetResult();
            }));
        await watching.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(wait.IsCompleted);

        await McpCalls.DecideOverRestAsync(Server, reviewerKey, "approve", "wire-1", """{"amount": 12345678901234567890, "to": "acme"}""");

        var decided = await wait.WaitAsync(TimeSpan.FromSeconds(30));
        var body = McpCalls.Ok(decided);
        Assert.True(body.GetProperty("decided").GetBoolean());
        Assert.Equal("APPROVED", body.GetProperty("action").GetProperty("state").GetString());
        Assert.Equal("key:" + reviewerKeyId, body.GetProperty("action").GetProperty("decision").GetProperty("principal").GetString());
        Assert.NotEmpty(progress);
        // A wait that runs out says so and shows the action as it stands.
        var again = await McpCalls.CallAsync(agent, "request_approval", new Dictionary<string, object?>
        {
            ["idempotency_key"] = "wire-2", ["thread_id"] = "run-1", ["payload"] = new { amount = 1 },
        });
        var undecided = McpCalls.Ok(await McpCalls.CallAsync(agent, "wait_for_decision", new Dictionary<string, object?>
        {
            ["request_id"] = McpCalls.Body(again).GetProperty("action").GetProperty("request_id").GetString(), ["timeout_seconds"] = 1,
        }));
        Assert.False(undecided.GetProperty("decided").GetBoolean());
        Assert.Equal("PENDING", undecided.GetProperty("action").GetProperty("state").GetString());
        // The payload's number is kept exactly, through the MCP answer too.
        Assert.Contains("12345678901234567890", McpCalls.Text(decided), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agent_key_cannot_approve_through_mcp_and_is_not_shown_the_decide_tool()
    {
        var (_, _, agentKey, reviewerKey, _) = await fixture.NewTenantAsync();
        await using var agent = await McpCalls.ConnectAsync(Server, "/mcp", agentKey);
        await using var reviewer = await McpCalls.ConnectAsync(Server, "/mcp", reviewerKey);

        var agentTools = (await agent.ListToolsAsync()).Select(t => t.Name).ToHashSet();
        Assert.Equal(
            new HashSet<string> { "request_approval", "wait_for_decision", "get_status", "begin_execution", "complete_execution", "fail_execution" }, agentTools);
        Assert.Contains("decide", (await reviewer.ListToolsAsync()).Select(t => t.Name));

        var requested = await McpCalls.CallAsync(agent, "request_approval", new Dictionary<string, object?>
        {
            ["idempotency_key"] = "self-approve-1", ["thread_id"] = "t", ["payload"] = new { drop = "table" },
        });
        var requestId = McpCalls.Body(requested).GetProperty("action").GetProperty("request_id").GetString()!;

        var decideArgs = new Dictionary<string, object?> { ["request_id"] = requestId, ["outcome"] = "APPROVE" };
        await Assert.ThrowsAsync<McpProtocolException>(() => McpCalls.CallAsync(agent, "decide", decideArgs));
        // Executing without a decision is refused with the Aegis reason.
        var begin = await McpCalls.CallAsync(agent, "begin_execution", new Dictionary<string, object?> { ["idempotency_key"] = "self-approve-1" });
        Assert.Equal("AWAITING_APPROVAL", McpCalls.ErrorReason(begin));
        var status = await McpCalls.CallAsync(agent, "get_status", new Dictionary<string, object?> { ["request_id"] = requestId });
        Assert.Equal("PENDING", McpCalls.Body(status).GetProperty("action").GetProperty("state").GetString());

        // A reviewer may decide through MCP; an agent-only tool is refused to it with the Aegis reason.
        var decided = await McpCalls.CallAsync(reviewer, "decide", decideArgs);
        Assert.Equal("APPROVED", McpCalls.Body(decided).GetProperty("action").GetProperty("state").GetString());
        var reviewerRequest = await McpCalls.CallAsync(reviewer, "request_approval", new Dictionary<string, object?>
        {
            ["idempotency_key"] = "reviewer-request", ["thread_id"] = "t", ["payload"] = new { },
        });
        Assert.Equal("PERMISSION_DENIED", McpCalls.ErrorReason(reviewerRequest));
    }

    [Fact]
    public async Task Every_tool_describes_itself_and_each_argument_and_names_the_required_ones()
    {
        var (_, adminKey, _, _, _) = await fixture.NewTenantAsync();
        await using var admin = await McpCalls.ConnectAsync(Server, "/mcp", adminKey);

        var tools = (await admin.ListToolsAsync()).ToDictionary(t => t.Name, t => t.ProtocolTool);

        Assert.Equal(7, tools.Count);
        foreach (var (name, tool) in tools)
        {
            Assert.False(string.IsNullOrWhiteSpace(tool.Description), $"{name} has no description");
            foreach (var property in tool.InputSchema.GetProperty("properties").EnumerateObject())
            {
                Assert.True(property.Value.TryGetProperty("description", out _), $"{name}.{property.Name} has no description");
            }
        }

        Assert.Equal(
            ["idempotency_key", "payload", "thread_id"],
            tools["request_approval"].InputSchema.GetProperty("required").EnumerateArray().Select(r => r.GetString()).Order());
        Assert.Equal(
            ["error", "fencing_token", "idempotency_key"],
            tools["fail_execution"].InputSchema.GetProperty("required").EnumerateArray().Select(r => r.GetString()).Order());
    }

    [Fact]
    public async Task Execution_tools_run_an_approved_action_once_and_replay_its_result()
    {
        var (_, _, agentKey, reviewerKey, _) = await fixture.NewTenantAsync();
        await using var agent = await McpCalls.ConnectAsync(Server, "/mcp", agentKey);
        await McpCalls.CallAsync(agent, "request_approval", new Dictionary<string, object?>
        {
            ["idempotency_key"] = "email-9", ["thread_id"] = "t", ["payload"] = new { to = "x@example.com" },
        });
        var mismatch = await McpCalls.CallAsync(agent, "request_approval", new Dictionary<string, object?>
        {
            ["idempotency_key"] = "email-9", ["thread_id"] = "t", ["payload"] = new { to = "y@example.com" },
        });
        Assert.Equal("PAYLOAD_MISMATCH", McpCalls.ErrorReason(mismatch));
        await McpCalls.DecideOverRestAsync(Server, reviewerKey, "approve", "email-9", """{"to":"x@example.com"}""");

        var begun = McpCalls.Body(await McpCalls.CallAsync(agent, "begin_execution", new Dictionary<string, object?> { ["idempotency_key"] = "email-9" }));
        Assert.Equal("STARTED", begun.GetProperty("status").GetString());
        var token = begun.GetProperty("fencing_token").GetInt64();
        var second = await McpCalls.CallAsync(agent, "begin_execution", new Dictionary<string, object?> { ["idempotency_key"] = "email-9" });
        Assert.Equal("LEASE_HELD", McpCalls.ErrorReason(second));
        var stale = await McpCalls.CallAsync(agent, "complete_execution", new Dictionary<string, object?>
        {
            ["idempotency_key"] = "email-9", ["fencing_token"] = token + 1, ["result"] = new { id = "forged" },
        });
        Assert.Equal("LEASE_LOST", McpCalls.ErrorReason(stale));
        var completed = await McpCalls.CallAsync(agent, "complete_execution", new Dictionary<string, object?>
        {
            ["idempotency_key"] = "email-9", ["fencing_token"] = token, ["result"] = new { message_id = "m-1" },
        });
        Assert.Equal("COMMITTED", McpCalls.Body(completed).GetProperty("action").GetProperty("state").GetString());

        var replayed = McpCalls.Body(await McpCalls.CallAsync(agent, "begin_execution", new Dictionary<string, object?> { ["idempotency_key"] = "email-9" }));
        Assert.Equal("REPLAYED", replayed.GetProperty("status").GetString());
        Assert.Equal("m-1", replayed.GetProperty("action").GetProperty("result").GetProperty("message_id").GetString());
    }

    [Fact]
    public async Task Mcp_without_valid_credentials_is_401_and_another_tenants_action_is_not_found()
    {
        using var anonymous = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", Encoding.UTF8, "application/json");
        using var refused = await Server.Rest.PostAsync("/mcp", anonymous);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        await Assert.ThrowsAnyAsync<Exception>(() => McpCalls.ConnectAsync(Server, "/mcp", "sk_live_notAKey"));

        var owner = await AccountCalls.SignupAsync(Server.Rest);
        var other = await AccountCalls.SignupAsync(Server.Rest);
        await using var ownerClient = await McpCalls.ConnectAsync(Server, "/mcp", owner.AdminKey);
        await using var otherClient = await McpCalls.ConnectAsync(Server, "/mcp", other.AdminKey);
        var requested = await McpCalls.CallAsync(ownerClient, "request_approval", new Dictionary<string, object?>
        {
            ["idempotency_key"] = "private-1", ["thread_id"] = "t", ["payload"] = new { secret = 1 },
        });
        var requestId = McpCalls.Body(requested).GetProperty("action").GetProperty("request_id").GetString()!;
        var peek = await McpCalls.CallAsync(otherClient, "get_status", new Dictionary<string, object?> { ["request_id"] = requestId });
        Assert.Equal("ACTION_NOT_FOUND", McpCalls.ErrorReason(peek));
        var decide = await McpCalls.CallAsync(otherClient, "decide", new Dictionary<string, object?> { ["request_id"] = requestId, ["outcome"] = "APPROVE" });
        Assert.Equal("ACTION_NOT_FOUND", McpCalls.ErrorReason(decide));
    }
}
