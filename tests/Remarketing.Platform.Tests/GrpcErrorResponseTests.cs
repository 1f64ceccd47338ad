namespace Remarketing.Platform.Tests;

public sealed class GrpcErrorResponseTests
{
    [Theory]
    [InlineData("role 'buyer' may not call a/B; allowed: remarketing", "role 'buyer' may not call a/B; allowed: remarketing")]
    [InlineData("50% off", "50%25 off")]
    [InlineData("Zürich\nnext", "Z%C3%BCrich%0Anext")]
    public void TheMessageHeader_EncodesOnlyWhatGrpcSaysTo(string message, string header) =>
        Assert.Equal(header, Remarketing.ServiceDefaults.Security.GrpcErrorResponse.EncodeMessage(message));
}
