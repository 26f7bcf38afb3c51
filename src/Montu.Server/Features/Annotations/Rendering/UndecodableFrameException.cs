namespace Montu.Server.Features.Annotations.Rendering;

/// <summary>The frame given to <see cref="DrawingRenderer"/> is not an image it can read, or is larger than it may draw on.</summary>
public sealed class UndecodableFrameException(string message) : Exception(message);
