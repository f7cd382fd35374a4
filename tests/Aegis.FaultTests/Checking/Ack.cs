namespace Aegis.FaultTests.Checking;

/// <summary>
/// A write a client was told about: a 2xx (or a 409 carrying the stored action after a retry of its own call).
/// The client now believes the write is durable, so the database must hold exactly this.
/// </summary>
/// <param name="Tenant">The tenant the call was made as.</param>
/// <param name="Key">The idempotency key.</param>
/// <param name="RequestId">The <c>request_id</c> the response carried.</param>
/// <param name="State">The state the response carried (<c>APPROVED</c>, <c>REJECTED</c>, <c>COMMITTED</c>).</param>
/// <param name="ResultJson">For a committed execution, the result the response carried.</param>
public sealed record Ack(string Tenant, string Key, string RequestId, string State, string? ResultJson);
