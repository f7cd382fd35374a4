using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Aegis.Core.Exceptions;
using Aegis.Core.Json;

namespace Aegis.Core.Audit;

/// <summary>
/// The chain math, shared by the sealer and the verifier: <c>hash = hex(SHA-256(previous hash + canonical event))</c>,
/// where the previous hash is the lower-case hex of the event before (empty for the first event of a tenant) and the
/// canonical event is the RFC 8785 form (<see cref="CanonicalJson"/>) of every stored fact of the event plus the id
/// of the event before it (<c>prev_id</c>). Covering <c>prev_id</c> is what makes a deleted event visible: the next
/// event names its predecessor, so a chain with a hole cannot be re-linked without recomputing every later hash —
/// which the checkpoints and the head, kept apart from the rows, then contradict. The chain position
/// (<see cref="AuditEventRecord.Sequence"/>) is only the sort key and is not hashed.
/// </summary>
public static class AuditChain
{
    /// <summary>The previous hash of a tenant's first event.</summary>
    public const string Genesis = "";

    /// <summary>Version of the canonical form, hashed with every event (<c>"v"</c>).</summary>
    public const int FormatVersion = 1;

    /// <summary>The canonical text hashed for <paramref name="e"/> when its predecessor is <paramref name="prevId"/>.</summary>
    public static string Canonical(AuditEventRecord e, long prevId)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("v", FormatVersion);
            writer.WriteString("tenant_id", e.TenantId);
            writer.WriteNumber("id", e.Id);
            writer.WriteNumber("prev_id", prevId);
            writer.WriteString("kind", e.Kind);
            writer.WriteString("actor", e.Actor);
            writer.WriteString("actor_method", e.ActorMethod);
            WriteOptional(writer, "request_id", e.ActionId?.ToString());
            WriteOptional(writer, "thread_id", e.ThreadId);
            WriteOptional(writer, "cause_request_id", e.CauseRequestId);
            writer.WriteString("occurred_at", Timestamp(e.OccurredAt));
            WriteJson(writer, "before", e.BeforeJson);
            WriteJson(writer, "after", e.AfterJson);
            WriteJson(writer, "data", e.DataJson);
            writer.WriteEndObject();
        }

        return CanonicalJson.Canonicalize(buffer.WrittenSpan);
    }

    /// <summary>The hash of <paramref name="e"/> following <paramref name="prevHash"/> and event <paramref name="prevId"/>.</summary>
    public static string Link(string prevHash, AuditEventRecord e, long prevId) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(prevHash + Canonical(e, prevId))));

    /// <summary>Whether <paramref name="e"/>'s stored hash and predecessor are those of a link after (<paramref name="prevHash"/>, <paramref name="prevId"/>).</summary>
    public static bool Links(string prevHash, long prevId, AuditEventRecord e)
    {
        if (e.Hash is null || e.PrevId != prevId)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Link(prevHash, e, prevId)), Encoding.ASCII.GetBytes(e.Hash));
    }

    /// <summary>The timestamp as hashed: UTC, microseconds (what PostgreSQL keeps), e.g. <c>2026-11-27T17:00:00.123456Z</c>.</summary>
    public static string Timestamp(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteJson(Utf8JsonWriter writer, string name, string? json)
    {
        writer.WritePropertyName(name);
        if (json is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            // A column that is not canonicalizable JSON (written around the stores) is hashed as a string, so that
            // sealing and verifying never fail on it: the sealer still seals it, and any later change shows.
            string canonical;
            try
            {
                canonical = CanonicalJson.Canonicalize(Encoding.UTF8.GetBytes(json));
            }
            catch (InvalidPayloadException)
            {
                writer.WriteStringValue(json);
                return;
            }

            writer.WriteRawValue(canonical, skipInputValidation: true);
        }
    }
}
