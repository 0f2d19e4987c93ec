global using NUnit.Framework;
global using ImageGuide.Imaging;
