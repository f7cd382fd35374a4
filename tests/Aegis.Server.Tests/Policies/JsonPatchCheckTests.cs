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
    [InlineData("""{"0":{"1":2}}""", """{"0":{"1":3,"-":4}}""")]
    [InlineData("""{"~1":1,"a~01":[{"/":1}]}""", """{"~1":2,"a~01":[{"/":2}]}""")]
    [InlineData("""{"l":[[1],[2]]}""", """{"l":[[1,2],[2]]}""")]
    [InlineData("""{"x":"\u00e9\ud83d\ude00"}""", """{"x":"\u0000","y":1e400}""")]
    public void A_computed_patch_reproduces_the_edited_payload(string original, string edited)
    {
        Assert.True(_check.Reproduces(original, JsonPatchDiff.Compute(original, edited), edited));
    }

    [Fact]
    public void A_patch_through_an_empty_member_name_is_reported_as_uncheckable_not_as_wrong()
    {
        const string original = """{"":1}""";
        const string edited = """{"":2}""";

        Assert.Null(_check.Reproduces(original, JsonPatchDiff.Compute(original, edited), edited));
    }

    [Fact]
    public void A_patch_that_does_not_reproduce_the_edit_is_caught()
    {
        var patch = JsonPatchDiff.Compute("""{"a":1}""", """{"a":2}""");

        Assert.False(_check.Reproduces("""{"a":1}""", patch, """{"a":3}"""));
    }
}
