using Aegis.Core.Json;
using Aegis.Server.Policies;

namespace Aegis.Server.Tests.Policies;

/// <summary>
/// The patches Core computes are applied by ASP.NET Core's RFC 6902 implementation to give the edited payload back —
/// and the check says so only when they do.
/// </summary>
public sealed class JsonPatchCheckTests
{
    private readonly JsonPatchCheck _check = new();

    [Theory]
    [InlineData("""{"a":1,"b":[1,2],"c":{"d":"x"}}""", """{"a":1,"b":[1,2],"c":{"d":"x"}}""")]
    [InlineData("""{"amount":5000,"to":"bob","note":"rent"}""", """{"amount":4000,"to":"bob","memo":{"why":["cap"]}}""")]
    [InlineData("""{"a/b":1,"m~n":2,"l":[1,2,3]}""", """{"a/b":2,"l":[1,{"x":null},3]}""")]
    [InlineData("""{"l":[1,2,3],"n":1}""", """{"l":[],"n":12345678901234567890}""")]
    [InlineData("""{"deep":{"deeper":{"deepest":true}}}""", """{"deep":{"deeper":{}}}""")]
    public void A_computed_patch_reproduces_the_edited_payload(string original, string edited)
    {
        Assert.True(_check.Reproduces(original, JsonPatchDiff.Compute(original, edited), edited));
    }

    [Fact]
    public void A_patch_that_does_not_reproduce_the_edit_is_caught()
    {
        var patch = JsonPatchDiff.Compute("""{"a":1}""", """{"a":2}""");

        Assert.False(_check.Reproduces("""{"a":1}""", patch, """{"a":3}"""));
    }
}
